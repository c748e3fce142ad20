using System.Collections.Immutable;
using System.Text.Json.Serialization.Metadata;
using ClaimGraph.Policy;

namespace ClaimGraph.Serialization;

/// <summary>One event type of the JSON format.</summary>
/// <param name="Name">The <c>"type"</c> value, e.g. <c>runRequested</c>.</param>
/// <param name="Type">The event's CLR type.</param>
/// <param name="Fields">Every field besides <c>"type"</c>, in the order <see cref="PolicyJson.WriteEvent"/> writes them.</param>
/// <param name="Required">The fields a scenario must give (and not as null): the constructor's parameters, in their order.</param>
/// <param name="FieldTypes">Each field's type, by field name.</param>
/// <param name="Info">The serializer's metadata for the type.</param>
internal sealed record EventShape(
    string Name,
    Type Type,
    ImmutableArray<string> Fields,
    ImmutableArray<string> Required,
    ImmutableSortedDictionary<string, FieldType> FieldTypes,
    JsonTypeInfo Info);

/// <summary>The type of an event field: its CLR type (without <see cref="Nullable{T}"/>) and whether JSON <c>null</c> is allowed.</summary>
internal sealed record FieldType(Type Clr, bool Nullable)
{
    /// <summary>What the JSON value must be, in words.</summary>
    public string Describe()
    {
        string what = Clr switch
        {
            Type t when t == typeof(string) => "a string",
            Type t when t == typeof(bool) => "true or false",
            Type t when t == typeof(long) => "a whole number (64-bit)",
            Type t when t == typeof(int) => "a whole number (32-bit)",
            Type t when t == typeof(ImmutableArray<string>) => "an array of strings",
            _ => Clr.Name,
        };
        return Nullable ? what + " or null" : what;
    }
}

/// <summary>
/// Every event type of the format, from <see cref="PolicyEvent"/>'s derived-type list and the source-generated
/// serializer metadata (no reflection over members, so trimming and native AOT keep working).
/// </summary>
internal static class EventShapes
{
    /// <summary>Every event type by its <c>"type"</c> name, ordinal order.</summary>
    public static readonly ImmutableSortedDictionary<string, EventShape> ByName = Discover();

    /// <summary>The type names for messages: <c>'baseAdvanced', 'claimsAmended', …</c>.</summary>
    public static readonly string NameList = JsonSource.List(ByName.Keys);

    private static ImmutableSortedDictionary<string, EventShape> Discover()
    {
        var shapes = ImmutableSortedDictionary.CreateBuilder<string, EventShape>(StringComparer.Ordinal);
        foreach (JsonDerivedType derived in PolicyJsonContext.Default.PolicyEvent.PolymorphismOptions!.DerivedTypes)
        {
            string name = (string)derived.TypeDiscriminator!;
            JsonTypeInfo info = PolicyJsonContext.Default.GetTypeInfo(derived.DerivedType)!;
            var fields = ImmutableArray.CreateBuilder<string>();
            var required = new List<(int Position, string Name)>();
            var types = ImmutableSortedDictionary.CreateBuilder<string, FieldType>(StringComparer.Ordinal);
            foreach (JsonPropertyInfo property in info.Properties)
            {
                fields.Add(property.Name);
                Type? underlying = Nullable.GetUnderlyingType(property.PropertyType);
                types[property.Name] = new FieldType(underlying ?? property.PropertyType, underlying is not null || property.IsGetNullable);
                if (property.AssociatedParameter is { IsMemberInitializer: false } parameter)
                {
                    required.Add((parameter.Position, property.Name));
                }
            }

            shapes[name] = new EventShape(
                name,
                derived.DerivedType,
                fields.ToImmutable(),
                [.. required.OrderBy(r => r.Position).Select(r => r.Name)],
                types.ToImmutable(),
                info);
        }

        return shapes.ToImmutable();
    }
}
