using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Architecture;

/// <summary>
/// The core reads no clock, no randomness, no environment and no file system. This scans
/// the compiled assembly's references, so a new use anywhere fails the build's tests.
/// </summary>
public class CorePurityTests
{
    private static readonly string[] BannedTypes =
    [
        "System.Random",
        "System.IO.File",
        "System.IO.Directory",
        "System.IO.FileStream",
        "System.IO.FileInfo",
        "System.IO.DirectoryInfo",
        "System.Diagnostics.Stopwatch",
        "System.Threading.Thread",
        "System.Security.Cryptography.RandomNumberGenerator",
        "System.TimeProvider",
    ];

    // System.Environment is banned member by member: compiler-generated iterators read CurrentManagedThreadId, which is harmless.
    private static readonly string[] BannedMembers =
    [
        "System.Environment.GetEnvironmentVariable",
        "System.Environment.GetEnvironmentVariables",
        "System.Environment.get_TickCount",
        "System.Environment.get_TickCount64",
        "System.Environment.get_MachineName",
        "System.Environment.get_ProcessId",
        "System.Environment.get_CurrentDirectory",
        "System.Environment.GetCommandLineArgs",
        "System.DateTime.get_Now",
        "System.DateTime.get_UtcNow",
        "System.DateTime.get_Today",
        "System.DateTimeOffset.get_Now",
        "System.DateTimeOffset.get_UtcNow",
        "System.Guid.NewGuid",
    ];

    private static List<string> ReferencedNames()
    {
        string path = typeof(Glob).Assembly.Location;
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        MetadataReader md = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (TypeReferenceHandle h in md.TypeReferences)
        {
            names.Add(TypeName(md, h));
        }

        foreach (MemberReferenceHandle h in md.MemberReferences)
        {
            MemberReference m = md.GetMemberReference(h);
            string owner = m.Parent.Kind == HandleKind.TypeReference ? TypeName(md, (TypeReferenceHandle)m.Parent) : "?";
            names.Add(owner + "." + md.GetString(m.Name));
        }

        return names;
    }

    private static string TypeName(MetadataReader md, TypeReferenceHandle h)
    {
        TypeReference t = md.GetTypeReference(h);
        return md.GetString(t.Namespace) + "." + md.GetString(t.Name);
    }

    [Fact]
    public void CoreAssembly_ReferencesNoClockRandomnessEnvironmentOrFileSystem()
    {
        List<string> names = ReferencedNames();
        Assert.Contains("System.String.Concat", names); // the scan sees member references at all
        var offending = names
            .Where(n => BannedTypes.Contains(n) || BannedMembers.Contains(n) || BannedTypes.Any(t => n.StartsWith(t + ".", StringComparison.Ordinal)))
            .Distinct()
            .ToList();
        Assert.True(offending.Count == 0, "banned references in the core: " + string.Join(", ", offending));
    }

    [Fact]
    public void PublicTypes_HaveNoPublicSettersOtherThanInit()
    {
        var offending = new List<string>();
        foreach (Type type in typeof(Glob).Assembly.GetExportedTypes())
        {
            if (type.IsSubclassOf(typeof(Exception)))
            {
                continue;
            }

            foreach (PropertyInfo p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                MethodInfo? setter = p.GetSetMethod();
                if (setter is null)
                {
                    continue;
                }

                bool isInit = setter.ReturnParameter.GetRequiredCustomModifiers().Any(m => m.FullName == "System.Runtime.CompilerServices.IsExternalInit");
                bool isBuilder = type.Name.EndsWith("Builder", StringComparison.Ordinal);
                if (!isInit && !isBuilder)
                {
                    offending.Add(type.FullName + "." + p.Name);
                }
            }

            foreach (FieldInfo f in type.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                if (!f.IsInitOnly && !f.IsLiteral && !type.IsEnum)
                {
                    offending.Add(type.FullName + "." + f.Name);
                }
            }
        }

        Assert.True(offending.Count == 0, "mutable public members: " + string.Join(", ", offending));
    }
}
