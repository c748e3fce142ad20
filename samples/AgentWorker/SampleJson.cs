using System.Text.Json.Serialization;

namespace AgentWorker;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AgentTask[]))]
internal sealed partial class SampleJson : JsonSerializerContext;
