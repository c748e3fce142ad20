using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using ClaimGraph.Globs;

namespace ClaimGraph.Tests.Architecture;

/// <summary>
/// The core's layers point one way, <c>Globs ← Claims ← Index ← Graph ← Policy ← Serialization</c>:
/// no type of a lower layer refers to a type of a higher one. The check reads the compiled assembly, not the
/// <c>using</c> lines, so a fully qualified name, a generic argument or a call in a method body counts too.
/// </summary>
public class LayerDirectionTests
{
    /// <summary>
    /// The layers, lowest first: a namespace may refer to its own layer and the ones before it. Serialization (the
    /// formats: events, decisions, explanations, snapshots, scenarios, options, gitignore/CODEOWNERS lines) sits on top of them all.
    /// </summary>
    private static readonly string[] Layers = ["Globs", "Claims", "Index", "Graph", "Policy", "Serialization"];

    /// <summary>
    /// The root namespace holds the decision vocabulary, <c>ClaimGraph.ReasonCode</c> and <c>ClaimGraph.DecisionKind</c>,
    /// and ranks with Graph, the lowest layer that uses it: a run's decision history (<c>RunHistoryEntry</c>) is part of
    /// the graph. Globs, Claims and Index may not refer to it, and it may refer to nothing above Graph.
    /// </summary>
    private const string RootLayer = "Graph";

    [Fact]
    public void CoreAssembly_LowerLayersReferNoHigherLayer()
    {
        LayerReport report = LayerReport.Read(typeof(Glob).Assembly.Location, "ClaimGraph", Layers, rootLayer: RootLayer);

        Assert.True(report.Edges.Count > 20, "the scan sees references between namespaces at all");
        Assert.Contains(("ClaimGraph.Claims", "ClaimGraph.Globs.Glob"), report.Edges.Keys); // one that must be there

        Assert.Contains(("ClaimGraph.Graph", "ClaimGraph.ReasonCode"), report.Edges.Keys); // the root ranks with Graph for this reason
        Assert.True(
            report.Violations.Count == 0,
            "references from a lower layer to a higher one:\n" + string.Join("\n", report.Violations.Select(v => $"{v.From} -> {v.To} (in {report.Edges[(v.From, v.To)]})")));
    }

    /// <summary>
    /// Formats live at the edge (#15): <c>ClaimGraph.Serialization</c> reads and writes the core's types, and no other
    /// namespace of the core (the layers, the root, Coordination, Diagnostics) refers to it.
    /// </summary>
    [Fact]
    public void CoreAssembly_NothingOutsideSerializationRefersToIt()
    {
        const string serialization = "ClaimGraph.Serialization";
        LayerReport report = LayerReport.Read(typeof(Glob).Assembly.Location, "ClaimGraph", Layers, rootLayer: RootLayer);

        Assert.Contains(report.Edges.Keys, e => e.From == serialization && e.To.StartsWith("ClaimGraph.Policy.", StringComparison.Ordinal)); // it reads the policy's types

        var inward = report.Edges
            .Where(e => e.Key.To.StartsWith(serialization + ".", StringComparison.Ordinal)
                && e.Key.From != serialization && !e.Key.From.StartsWith(serialization + ".", StringComparison.Ordinal))
            .Select(e => $"{e.Key.From} -> {e.Key.To} (in {e.Value})")
            .ToList();
        Assert.True(inward.Count == 0, "the core refers to its serialization:\n" + string.Join("\n", inward));
    }

    [Fact]
    public void Report_UpwardReferencesInAFixture_FoundInEveryKindOfPosition()
    {
        string root = typeof(LayerFixture.Low.Clean).Namespace![..^".Low".Length];

        LayerReport report = LayerReport.Read(typeof(LayerDirectionTests).Assembly.Location, root, ["Low", "High"]);

        string[] found = [.. report.Violations.Where(v => v.From == root + ".Low").Select(v => v.To[(root.Length + 1)..]).Order(StringComparer.Ordinal)];
        Assert.Equal(
            ["High.BaseClass", "High.CalledType", "High.CreatedType", "High.FieldType", "High.GenericArgument", "High.IInterface", "High.LocalType", "High.ParameterType"],
            found);
        Assert.DoesNotContain(report.Violations, v => v.From == root + ".High");
    }

    /// <summary>References between the namespaces of one assembly, read from its metadata and IL.</summary>
    private sealed class LayerReport
    {
        private static readonly ImmutableDictionary<short, OperandType> Operands = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToImmutableDictionary(o => o.Value, o => o.OperandType);

        private readonly MetadataReader _md;
        private readonly Dictionary<TypeDefinitionHandle, string> _namespaceOf = [];

        private LayerReport(MetadataReader md) => _md = md;

        /// <summary>For each (source namespace, referenced type) pair: one member where it occurs.</summary>
        public Dictionary<(string From, string To), string> Edges { get; } = [];

        public List<(string From, string To)> Violations { get; } = [];

        /// <summary>
        /// Reads the assembly at <paramref name="path"/>; namespaces are <paramref name="root"/> and <c>root.Layer[.…]</c>.
        /// The root namespace ranks with <paramref name="rootLayer"/> (the top layer when null).
        /// </summary>
        public static LayerReport Read(string path, string root, string[] layers, string? rootLayer = null)
        {
            using FileStream stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            var report = new LayerReport(pe.GetMetadataReader());
            report.Scan(pe);
            foreach ((string from, string to) in report.Edges.Keys.OrderBy(k => k.From, StringComparer.Ordinal).ThenBy(k => k.To, StringComparer.Ordinal))
            {
                int rootRank = rootLayer is null ? layers.Length - 1 : Array.IndexOf(layers, rootLayer);
                int source = Rank(from, root, layers, rootRank);
                int target = Rank(to[..to.LastIndexOf('.')], root, layers, rootRank);
                if (source >= 0 && target > source)
                {
                    report.Violations.Add((from, to));
                }
            }

            return report;
        }

        /// <summary>The layer index of a namespace; the root itself ranks <paramref name="rootRank"/>; -1 outside the root.</summary>
        private static int Rank(string ns, string root, string[] layers, int rootRank)
        {
            if (ns == root)
            {
                return rootRank;
            }

            for (int i = 0; i < layers.Length; i++)
            {
                string layer = root + "." + layers[i];
                if (ns == layer || ns.StartsWith(layer + ".", StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }

        private string NamespaceOf(TypeDefinitionHandle h)
        {
            if (!_namespaceOf.TryGetValue(h, out string? ns))
            {
                TypeDefinition t = _md.GetTypeDefinition(h);
                TypeDefinitionHandle outer = t.GetDeclaringType();
                ns = outer.IsNil ? _md.GetString(t.Namespace) : NamespaceOf(outer);
                _namespaceOf[h] = ns;
            }

            return ns;
        }

        private string NameOf(TypeDefinitionHandle h)
        {
            TypeDefinition t = _md.GetTypeDefinition(h);
            TypeDefinitionHandle outer = t.GetDeclaringType();
            return (outer.IsNil ? _md.GetString(t.Namespace) : NameOf(outer)) + "." + _md.GetString(t.Name);
        }

        private void Scan(PEReader pe)
        {
            foreach (TypeDefinitionHandle th in _md.TypeDefinitions)
            {
                TypeDefinition type = _md.GetTypeDefinition(th);
                string from = NamespaceOf(th);
                string typeName = NameOf(th);
                var refs = new List<TypeDefinitionHandle>();
                Entity(type.BaseType, refs);
                foreach (InterfaceImplementationHandle ih in type.GetInterfaceImplementations())
                {
                    Entity(_md.GetInterfaceImplementation(ih).Interface, refs);
                }

                Constraints(type.GetGenericParameters(), refs);
                Record(from, typeName, refs);
                foreach (FieldDefinitionHandle fh in type.GetFields())
                {
                    FieldDefinition field = _md.GetFieldDefinition(fh);
                    refs.Clear();
                    refs.AddRange(field.DecodeSignature(new Provider(this), null));
                    Record(from, typeName + "." + _md.GetString(field.Name), refs);
                }

                foreach (PropertyDefinitionHandle ph in type.GetProperties())
                {
                    PropertyDefinition property = _md.GetPropertyDefinition(ph);
                    refs.Clear();
                    MethodSignature<TypeDefinitionHandle[]> sig = property.DecodeSignature(new Provider(this), null);
                    refs.AddRange(sig.ReturnType.Concat(sig.ParameterTypes.SelectMany(p => p)));
                    Record(from, typeName + "." + _md.GetString(property.Name), refs);
                }

                foreach (MethodDefinitionHandle mh in type.GetMethods())
                {
                    MethodDefinition method = _md.GetMethodDefinition(mh);
                    refs.Clear();
                    Signature(method.Signature, refs);
                    Constraints(method.GetGenericParameters(), refs);
                    if (method.RelativeVirtualAddress != 0)
                    {
                        MethodBodyBlock body = pe.GetMethodBody(method.RelativeVirtualAddress);
                        if (!body.LocalSignature.IsNil)
                        {
                            refs.AddRange(_md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(new Provider(this), null).SelectMany(l => l));
                        }

                        Instructions(body.GetILReader(), refs);
                    }

                    Record(from, typeName + "." + _md.GetString(method.Name), refs);
                }
            }
        }

        private void Record(string from, string member, List<TypeDefinitionHandle> refs)
        {
            foreach (TypeDefinitionHandle h in refs)
            {
                string to = NameOf(h);
                if (NamespaceOf(h) != from)
                {
                    Edges.TryAdd((from, to), member);
                }
            }
        }

        private void Constraints(GenericParameterHandleCollection parameters, List<TypeDefinitionHandle> refs)
        {
            foreach (GenericParameterHandle gh in parameters)
            {
                foreach (GenericParameterConstraintHandle ch in _md.GetGenericParameter(gh).GetConstraints())
                {
                    Entity(_md.GetGenericParameterConstraint(ch).Type, refs);
                }
            }
        }

        private void Signature(BlobHandle blob, List<TypeDefinitionHandle> refs)
        {
            var decoder = new SignatureDecoder<TypeDefinitionHandle[], object?>(new Provider(this), _md, null);
            BlobReader reader = _md.GetBlobReader(blob);
            SignatureHeader header = reader.ReadSignatureHeader();
            reader.Reset();
            if (header.Kind == SignatureKind.Field)
            {
                refs.AddRange(decoder.DecodeFieldSignature(ref reader));
            }
            else if (header.Kind is SignatureKind.Method or SignatureKind.Property)
            {
                MethodSignature<TypeDefinitionHandle[]> sig = decoder.DecodeMethodSignature(ref reader);
                refs.AddRange(sig.ReturnType.Concat(sig.ParameterTypes.SelectMany(p => p)));
            }
            else if (header.Kind == SignatureKind.MethodSpecification)
            {
                refs.AddRange(decoder.DecodeMethodSpecificationSignature(ref reader).SelectMany(t => t));
            }
            else if (header.Kind == SignatureKind.LocalVariables)
            {
                refs.AddRange(decoder.DecodeLocalSignature(ref reader).SelectMany(t => t));
            }
        }

        /// <summary>The types a metadata token names: directly, through a signature, or through the member's owner.</summary>
        private void Entity(EntityHandle handle, List<TypeDefinitionHandle> refs)
        {
            if (handle.IsNil)
            {
                return;
            }

            switch (handle.Kind)
            {
                case HandleKind.TypeDefinition:
                    refs.Add((TypeDefinitionHandle)handle);
                    break;
                case HandleKind.TypeSpecification:
                    refs.AddRange(_md.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(new Provider(this), null));
                    break;
                case HandleKind.MemberReference:
                    MemberReference member = _md.GetMemberReference((MemberReferenceHandle)handle);
                    Entity(member.Parent, refs);
                    Signature(member.Signature, refs);
                    break;
                case HandleKind.MethodDefinition:
                    MethodDefinition method = _md.GetMethodDefinition((MethodDefinitionHandle)handle);
                    refs.Add(method.GetDeclaringType());
                    Signature(method.Signature, refs);
                    break;
                case HandleKind.FieldDefinition:
                    FieldDefinition field = _md.GetFieldDefinition((FieldDefinitionHandle)handle);
                    refs.Add(field.GetDeclaringType());
                    Signature(field.Signature, refs);
                    break;
                case HandleKind.MethodSpecification:
                    MethodSpecification spec = _md.GetMethodSpecification((MethodSpecificationHandle)handle);
                    Entity(spec.Method, refs);
                    Signature(spec.Signature, refs);
                    break;
                case HandleKind.StandaloneSignature:
                    Signature(_md.GetStandaloneSignature((StandaloneSignatureHandle)handle).Signature, refs);
                    break;
            }
        }

        /// <summary>Every token operand of the IL (types, members, signatures), walked opcode by opcode.</summary>
        private void Instructions(BlobReader il, List<TypeDefinitionHandle> refs)
        {
            while (il.RemainingBytes > 0)
            {
                short code = il.ReadByte();
                if (code == 0xFE)
                {
                    code = unchecked((short)(0xFE00 | il.ReadByte()));
                }

                switch (Operands[code])
                {
                    case OperandType.InlineField:
                    case OperandType.InlineMethod:
                    case OperandType.InlineTok:
                    case OperandType.InlineType:
                    case OperandType.InlineSig:
                        Entity(MetadataTokens.EntityHandle(il.ReadInt32()), refs);
                        break;
                    case OperandType.InlineSwitch:
                        int targets = il.ReadInt32();
                        il.Offset += 4 * targets;
                        break;
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget:
                    case OperandType.ShortInlineI:
                    case OperandType.ShortInlineVar:
                        il.Offset += 1;
                        break;
                    case OperandType.InlineVar:
                        il.Offset += 2;
                        break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR:
                        il.Offset += 8;
                        break;
                    default:
                        il.Offset += 4;
                        break;
                }
            }
        }

        /// <summary>Decodes a signature into the type definitions of this assembly that it names.</summary>
        private sealed class Provider(LayerReport report) : ISignatureTypeProvider<TypeDefinitionHandle[], object?>
        {
            public TypeDefinitionHandle[] GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => [handle];

            public TypeDefinitionHandle[] GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => [];

            public TypeDefinitionHandle[] GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind)
            {
                var refs = new List<TypeDefinitionHandle>();
                report.Entity(handle, refs);
                return [.. refs];
            }

            public TypeDefinitionHandle[] GetPrimitiveType(PrimitiveTypeCode typeCode) => [];

            public TypeDefinitionHandle[] GetSZArrayType(TypeDefinitionHandle[] elementType) => elementType;

            public TypeDefinitionHandle[] GetArrayType(TypeDefinitionHandle[] elementType, ArrayShape shape) => elementType;

            public TypeDefinitionHandle[] GetByReferenceType(TypeDefinitionHandle[] elementType) => elementType;

            public TypeDefinitionHandle[] GetPointerType(TypeDefinitionHandle[] elementType) => elementType;

            public TypeDefinitionHandle[] GetPinnedType(TypeDefinitionHandle[] elementType) => elementType;

            public TypeDefinitionHandle[] GetModifiedType(TypeDefinitionHandle[] modifier, TypeDefinitionHandle[] unmodifiedType, bool isRequired) => [.. modifier, .. unmodifiedType];

            public TypeDefinitionHandle[] GetGenericInstantiation(TypeDefinitionHandle[] genericType, ImmutableArray<TypeDefinitionHandle[]> typeArguments) =>
                [.. genericType, .. typeArguments.SelectMany(a => a)];

            public TypeDefinitionHandle[] GetGenericMethodParameter(object? genericContext, int index) => [];

            public TypeDefinitionHandle[] GetGenericTypeParameter(object? genericContext, int index) => [];

            public TypeDefinitionHandle[] GetFunctionPointerType(MethodSignature<TypeDefinitionHandle[]> signature) =>
                [.. signature.ReturnType, .. signature.ParameterTypes.SelectMany(p => p)];
        }
    }
}
