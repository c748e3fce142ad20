using System.Reflection;
using System.Reflection.Emit;
using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Architecture;

/// <summary>
/// The layers of the core point one way (STYLE.md "Layers, one direction"): <c>Globs ← Claims ← Index ← Graph ← Policy
/// ← Serialization</c>. A namespace may use its own layer and the ones below it, never one above. Checked over the
/// compiled assembly: every type a type names (base, interfaces, fields, signatures, and every type, method and field
/// its method bodies use, compiler-generated closures included), by namespace.
/// </summary>
public class LayerDirectionTests
{
    /// <summary>
    /// The layers, lowest first. The root namespace (<c>ReasonCode</c>, <c>DecisionKind</c>) is shared vocabulary;
    /// <c>Diagnostics</c> and <c>Coordination</c> are not placed yet.
    /// </summary>
    private static readonly string[] Layers = ["Globs", "Claims", "Index", "Graph", "Policy", "Serialization"];

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    [Fact]
    public void CoreAssembly_NoNamespaceUsesAHigherLayer()
    {
        SortedSet<(string From, string To)> references = LayerReferences();
        Assert.Contains(("Policy", "Graph"), references); // the scan sees references at all
        Assert.Contains(("Serialization", "Policy"), references);

        var wrongWay = references
            .Where(r => Array.IndexOf(Layers, r.To) > Array.IndexOf(Layers, r.From))
            .Select(r => $"{r.From} uses {r.To}")
            .ToList();

        Assert.True(wrongWay.Count == 0, "layers used from below: " + string.Join("; ", wrongWay));
    }

    [Fact]
    public void Serialization_UsedByNoOtherNamespaceOfTheCore()
    {
        var users = LayerReferences().Where(r => r.To == "Serialization" && r.From != "Serialization").Select(r => r.From).ToList();

        Assert.Empty(users);
    }

    /// <summary>(layer of the user, layer of the used) for every reference between different layers of the core.</summary>
    private static SortedSet<(string From, string To)> LayerReferences()
    {
        Assembly core = typeof(Glob).Assembly;
        var result = new SortedSet<(string, string)>();
        foreach (Type type in core.GetTypes())
        {
            string? from = LayerOf(type);
            if (from is null)
            {
                continue;
            }

            foreach (Type used in Used(type))
            {
                if (used.Assembly == core && LayerOf(used) is { } to && to != from)
                {
                    result.Add((from, to));
                }
            }
        }

        return result;
    }

    /// <summary>The layer of a type of the core: the namespace part after <c>ClaimGraph.</c> (nested types have their outer type's).</summary>
    private static string? LayerOf(Type type)
    {
        string ns = type.Namespace ?? string.Empty;
        if (!ns.StartsWith("ClaimGraph.", StringComparison.Ordinal))
        {
            return null;
        }

        string part = ns["ClaimGraph.".Length..].Split('.')[0];
        return Array.IndexOf(Layers, part) >= 0 ? part : null;
    }

    private static IEnumerable<Type> Used(Type type)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var types = new List<Type>();
        if (type.BaseType is { } baseType)
        {
            types.Add(baseType);
        }

        types.AddRange(type.GetInterfaces());
        types.AddRange(type.GetFields(All).Select(f => f.FieldType));
        types.AddRange(type.GetProperties(All).Select(p => p.PropertyType));
        foreach (MethodBase method in type.GetMethods(All).Cast<MethodBase>().Concat(type.GetConstructors(All)))
        {
            if (method is MethodInfo info)
            {
                types.Add(info.ReturnType);
            }

            types.AddRange(method.GetParameters().Select(p => p.ParameterType));
            types.AddRange(BodyReferences(method));
        }

        return types.SelectMany(Expand);
    }

    /// <summary>A type with its element type and generic arguments, recursively.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        if (type.HasElementType)
        {
            foreach (Type t in Expand(type.GetElementType()!))
            {
                yield return t;
            }
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (Type t in type.GetGenericArguments().SelectMany(Expand))
            {
                yield return t;
            }
        }
    }

    /// <summary>The declaring types of every type, method and field token in the method's IL.</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int i = 0;
        while (i < il.Length)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            OpCode op = OpCodesByValue[value];
            switch (op.OperandType)
            {
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                    MemberInfo? member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                    if (member is Type t)
                    {
                        yield return t;
                    }
                    else if (member?.DeclaringType is { } owner)
                    {
                        yield return owner;
                    }

                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    i += 8;
                    break;
                default:
                    i += 4;
                    break;
            }
        }
    }
}
