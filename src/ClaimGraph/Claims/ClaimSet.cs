using System.Collections.Immutable;
using System.Text;
using ClaimGraph.Globs;

namespace ClaimGraph.Claims;

/// <summary>
/// A run's claims: entries <c>(mode, pattern)</c> plus exclusions that subtract paths from the set's coverage
/// (each exclusion applies to the entries of its own namespace). Immutable and safe to share between threads.
/// </summary>
/// <remarks>
/// <para>
/// A claim set with no entries is the <see cref="Barrier"/>: a run that declares no claims writes everything, in
/// every namespace, and conflicts with every other run. A set whose entries are all <see cref="ClaimMode.Read"/> is
/// read-only (<see cref="IsReadOnly"/>), not a barrier. Exclusions need at least one entry.
/// </para>
/// <para>
/// Entries and exclusions keep the order they were given in; exact duplicates are dropped (the first stays). Two
/// claim sets are equal when their entries and exclusions are equal in order.
/// </para>
/// </remarks>
public sealed class ClaimSet : IEquatable<ClaimSet>
{
    private string? _text;

    private ClaimSet(ImmutableArray<ClaimEntry> entries, ImmutableArray<Glob> exclusions)
    {
        Entries = entries;
        Exclusions = exclusions;
    }

    /// <summary>The claim set with no entries: a run that declares nothing writes everything (a barrier).</summary>
    public static ClaimSet Barrier { get; } = new(ImmutableArray<ClaimEntry>.Empty, ImmutableArray<Glob>.Empty);

    /// <summary>The entries in the order given, without exact duplicates.</summary>
    public ImmutableArray<ClaimEntry> Entries { get; }

    /// <summary>The exclusions in the order given, without exact duplicates.</summary>
    public ImmutableArray<Glob> Exclusions { get; }

    /// <summary>Whether this set declares no entries and so writes everything (conflicts with every claim set).</summary>
    public bool IsBarrier => Entries.IsEmpty;

    /// <summary>Whether the set has entries and all of them are <see cref="ClaimMode.Read"/>.</summary>
    public bool IsReadOnly
    {
        get
        {
            foreach (ClaimEntry e in Entries)
            {
                if (e.Mode != ClaimMode.Read)
                {
                    return false;
                }
            }

            return !Entries.IsEmpty;
        }
    }

    /// <summary>Starts a builder for a claim set.</summary>
    public static Builder CreateBuilder() => new();

    /// <summary>
    /// Creates a claim set from entries and exclusions (kept in order, exact duplicates dropped).
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument or one of its elements is null.</exception>
    /// <exception cref="ArgumentException">There are exclusions but no entries.</exception>
    public static ClaimSet Create(IEnumerable<ClaimEntry> entries, IEnumerable<Glob>? exclusions = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var builder = new Builder();
        foreach (ClaimEntry e in entries)
        {
            builder.Add(e);
        }

        if (exclusions is not null)
        {
            foreach (Glob x in exclusions)
            {
                builder.Exclude(x);
            }
        }

        if (builder.HasExclusionsOnly)
        {
            throw new ArgumentException("A claim set with exclusions needs at least one entry for them to subtract from.", nameof(exclusions));
        }

        return builder.ToClaimSet();
    }

    /// <summary>
    /// Parses the line form: one claim per line, <c>write src/**</c>, <c>append CHANGELOG.md</c>, <c>read docs/**</c>,
    /// or an exclusion <c>!src/gen/**</c>. The keyword is case-insensitive; the pattern is the rest of the line
    /// (inner spaces kept, outer whitespace dropped); blank lines and <c>#</c> comment lines are ignored; every
    /// pattern is parsed with <paramref name="options"/>. An empty text gives the <see cref="Barrier"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ClaimSetParseException">The text is not a valid claim set; the exception carries code, line, position and hint.</exception>
    public static ClaimSet Parse(string text, GlobOptions options = GlobOptions.None)
    {
        if (!TryParse(text, options, out ClaimSet? set, out ClaimSetError? error))
        {
            throw new ClaimSetParseException(error);
        }

        return set;
    }

    /// <summary>Parses the line form (see <see cref="Parse(string, GlobOptions)"/>) without throwing.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static bool TryParse(string text, GlobOptions options, [NotNullWhen(true)] out ClaimSet? claimSet, [NotNullWhen(false)] out ClaimSetError? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        claimSet = ClaimSetParser.TryParse(text, options, out ClaimSetError? failure);
        error = failure;
        return claimSet is not null;
    }

    /// <summary>Parses the line form with default options without throwing.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public static bool TryParse(string text, [NotNullWhen(true)] out ClaimSet? claimSet, [NotNullWhen(false)] out ClaimSetError? error) =>
        TryParse(text, GlobOptions.None, out claimSet, out error);

    /// <summary>
    /// Whether two claim sets conflict: an entry of each, with conflicting modes, whose coverages after each side's
    /// exclusions share a path. See <see cref="Conflicts(ClaimSet, ClaimSet)"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public ClaimConflictResult ConflictsWith(ClaimSet other) => Conflicts(this, other);

    /// <summary>
    /// Decides whether <paramref name="left"/> and <paramref name="right"/> conflict, with evidence.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Two sets conflict when an entry <c>e</c> of one and an entry <c>f</c> of the other have conflicting modes
    /// (<see cref="ClaimModeExtensions.ConflictsWith"/>) and some path is covered by both and by no exclusion of
    /// either set. A <see cref="Barrier"/> behaves as <c>write **</c> in every namespace: it conflicts with every
    /// set that covers some path (and with another barrier).
    /// </para>
    /// <para>
    /// Exactness: without exclusions in play the answer is exact. With exclusions, cheap cases are decided first (no
    /// exclusion overlaps both entries; the shortest shared path is not excluded; an exclusion covers all of one
    /// entry, as <c>!src/gen/**</c> covers <c>src/gen/x.cs</c>). Otherwise a search explores the product of the two
    /// entries' cover automata with the subset construction of the exclusions that overlap both, enumerating at the
    /// character level which segment patterns one path segment can match; it is exact (a witness, or a proof that
    /// the exclusions cover every shared path) while it stays within <see cref="ExclusionSearchBudget"/> steps per
    /// entry pair, which typical claim sets never approach. Past the budget the result is a conflict marked
    /// <see cref="ClaimConflictResult.IsConservative"/>. A conflict is never missed. When some entry pair gives an
    /// exact conflict it is reported in preference to a conservative one.
    /// </para>
    /// <para>
    /// Symmetric: <c>Conflicts(b, a)</c> gives the same answer with the evidence mirrored. The evidence is the first
    /// conflicting pair in a canonical order of the two sets, so it is deterministic. Cost: O(|left|·|right|) entry
    /// pairs, each an exact overlap check, plus the exclusion search where exclusions overlap both entries.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ClaimConflictResult Conflicts(ClaimSet left, ClaimSet right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (CompareCanonical(left, right) > 0)
        {
            return ConflictsOrdered(right, left).Mirror();
        }

        return ConflictsOrdered(left, right);
    }

    /// <summary>The most search steps spent on one entry pair when exclusions are in play, before the answer turns conservative.</summary>
    public const int ExclusionSearchBudget = ExclusionSearch.DefaultBudget;

    private static ClaimConflictResult ConflictsOrdered(ClaimSet a, ClaimSet b)
    {
        if (a.IsBarrier || b.IsBarrier)
        {
            return BarrierConflict(a, b);
        }

        // Large sets: only the pairs whose literal prefixes agree (the same pairs in the same order, minus hopeless ones).
        List<int>[]? candidates = (long)a.Entries.Length * b.Entries.Length > EntryJoin.MinPairs
            ? EntryJoin.Candidates(a.Entries, b.Entries)
            : null;
        ClaimConflictResult? conservative = null;
        for (int i = 0; i < a.Entries.Length; i++)
        {
            ClaimEntry e = a.Entries[i];
            int count = candidates?[i].Count ?? b.Entries.Length;
            for (int k = 0; k < count; k++)
            {
                ClaimEntry f = b.Entries[candidates is null ? k : candidates[i][k]];
                if (!e.Mode.ConflictsWith(f.Mode))
                {
                    continue;
                }

                ClaimConflictResult r = CheckPair(e, a.Exclusions, f, b.Exclusions);
                if (!r.IsConflict)
                {
                    continue;
                }

                if (!r.IsConservative)
                {
                    return r;
                }

                conservative ??= r;
            }
        }

        return conservative ?? ClaimConflictResult.None;
    }

    private static ClaimConflictResult BarrierConflict(ClaimSet a, ClaimSet b)
    {
        if (a.IsBarrier && b.IsBarrier)
        {
            ClaimEntry all = BarrierEntry(string.Empty);
            Glob.TryGetWitness(all.Pattern, all.Pattern, out string? w);
            return ClaimConflictResult.Found(new ClaimConflict(all, all, w!, leftIsBarrier: true, rightIsBarrier: true), conservative: false);
        }

        bool barrierLeft = a.IsBarrier;
        ClaimSet other = barrierLeft ? b : a;
        ClaimConflictResult? conservative = null;
        foreach (ClaimEntry f in other.Entries)
        {
            ClaimEntry all = BarrierEntry(f.Namespace);
            ClaimConflictResult r = barrierLeft
                ? CheckPair(all, ImmutableArray<Glob>.Empty, f, other.Exclusions)
                : CheckPair(f, other.Exclusions, all, ImmutableArray<Glob>.Empty);
            if (!r.IsConflict)
            {
                continue;
            }

            r = ClaimConflictResult.Found(
                new ClaimConflict(r.Conflict!.Left, r.Conflict.Right, r.Conflict.Witness, barrierLeft, !barrierLeft),
                r.IsConservative);
            if (!r.IsConservative)
            {
                return r;
            }

            conservative ??= r;
        }

        return conservative ?? ClaimConflictResult.None;
    }

    /// <summary>The entry a barrier stands for in <paramref name="ns"/>: <c>write ns:**</c>.</summary>
    internal static ClaimEntry BarrierEntry(string ns) =>
        ns.Length == 0 ? WriteAll : new ClaimEntry(ClaimMode.Write, Glob.Parse(ns + ":**"));

    private static readonly ClaimEntry WriteAll = new(ClaimMode.Write, Glob.Parse("**"));

    /// <summary>Checks one entry pair whose modes conflict, against both sides' exclusions.</summary>
    internal static ClaimConflictResult CheckPair(ClaimEntry e, ImmutableArray<Glob> excludedByE, ClaimEntry f, ImmutableArray<Glob> excludedByF)
    {
        ExclusionSearch.Outcome outcome = ExclusionSearch.Find(e.Pattern, excludedByE, f.Pattern, excludedByF, ExclusionSearch.DefaultBudget, out string? witness);
        return outcome switch
        {
            ExclusionSearch.Outcome.Disjoint => ClaimConflictResult.None,
            ExclusionSearch.Outcome.Witness => ClaimConflictResult.Found(new ClaimConflict(e, f, witness!, false, false), conservative: false),
            _ => ClaimConflictResult.Found(new ClaimConflict(e, f, witness!, false, false), conservative: true),
        };
    }

    /// <summary>
    /// Whether the set covers <paramref name="path"/> in the default namespace: some entry covers it and no
    /// exclusion does. The <see cref="Barrier"/> covers every path.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="InvalidPathException">The path is not a valid repository path.</exception>
    public bool Covers(string path) => FindCoveringEntry(path, string.Empty, writingOnly: false) is not null || IsBarrier;

    /// <summary>
    /// Whether the set allows changing <paramref name="path"/> (default namespace): a <see cref="ClaimMode.Write"/> or
    /// <see cref="ClaimMode.Append"/> entry covers it and no exclusion does. The <see cref="Barrier"/> allows every path.
    /// Paths a run changed for which this is false are claim violations.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="InvalidPathException">The path is not a valid repository path.</exception>
    public bool AllowsChange(string path) => IsBarrier || FindCoveringEntry(path, string.Empty, writingOnly: true) is not null;

    /// <summary>
    /// The first entry (in order) of namespace <paramref name="ns"/> that covers <paramref name="path"/> when no
    /// exclusion of that namespace covers it; <see langword="null"/> otherwise (also for the barrier, which has no entries).
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidPathException">The path is not a valid repository path.</exception>
    public ClaimEntry? FindCoveringEntry(string path, string ns, bool writingOnly)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(ns);
        GlobPath.Validate(path);
        foreach (Glob x in Exclusions)
        {
            if (string.Equals(x.Namespace, ns, StringComparison.Ordinal) && x.Covers(path))
            {
                return null;
            }
        }

        foreach (ClaimEntry e in Entries)
        {
            if ((!writingOnly || e.Mode.IsWriting()) && string.Equals(e.Namespace, ns, StringComparison.Ordinal) && e.Pattern.Covers(path))
            {
                return e;
            }
        }

        return null;
    }

    /// <summary>
    /// The paths of <paramref name="changedPaths"/> (default namespace) that the set does not allow changing
    /// (<see cref="AllowsChange"/> is false), distinct and in ordinal order.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="changedPaths"/> is null.</exception>
    /// <exception cref="InvalidPathException">A path is not a valid repository path.</exception>
    public ImmutableArray<string> FindViolations(IEnumerable<string> changedPaths)
    {
        ArgumentNullException.ThrowIfNull(changedPaths);
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string p in changedPaths)
        {
            if (!AllowsChange(p))
            {
                result.Add(p);
            }
        }

        return [.. result];
    }

    /// <summary>The line form, one claim per line (exclusions last), readable by <see cref="Parse(string, GlobOptions)"/>.</summary>
    public override string ToString()
    {
        if (_text is not null)
        {
            return _text;
        }

        var sb = new StringBuilder();
        foreach (ClaimEntry e in Entries)
        {
            sb.Append(e).Append('\n');
        }

        foreach (Glob x in Exclusions)
        {
            sb.Append('!').Append(x).Append('\n');
        }

        _text = sb.ToString();
        return _text;
    }

    /// <inheritdoc/>
    public bool Equals(ClaimSet? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Entries.AsSpan().SequenceEqual(other.Entries.AsSpan()) && Exclusions.AsSpan().SequenceEqual(other.Exclusions.AsSpan())));

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ClaimSet);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = default(HashCode);
        foreach (ClaimEntry e in Entries)
        {
            h.Add(e);
        }

        h.Add(Entries.Length);
        foreach (Glob x in Exclusions)
        {
            h.Add(x);
        }

        return h.ToHashCode();
    }

    /// <summary>Equality operator.</summary>
    public static bool operator ==(ClaimSet? left, ClaimSet? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality operator.</summary>
    public static bool operator !=(ClaimSet? left, ClaimSet? right) => !(left == right);

    internal static ClaimSet CreateTrusted(ImmutableArray<ClaimEntry> entries, ImmutableArray<Glob> exclusions) =>
        entries.IsEmpty && exclusions.IsEmpty ? Barrier : new ClaimSet(Distinct(entries), Distinct(exclusions));

    private static ImmutableArray<T> Distinct<T>(ImmutableArray<T> items)
        where T : notnull
    {
        if (items.Length < 2)
        {
            return items;
        }

        var seen = new HashSet<T>();
        var result = ImmutableArray.CreateBuilder<T>(items.Length);
        foreach (T item in items)
        {
            if (seen.Add(item))
            {
                result.Add(item);
            }
        }

        return result.Count == items.Length ? items : result.ToImmutable();
    }

    /// <summary>A total order used to orient pairs canonically (so conflict evidence is symmetric).</summary>
    private static int CompareCanonical(ClaimSet a, ClaimSet b)
    {
        if (ReferenceEquals(a, b))
        {
            return 0;
        }

        int c = string.CompareOrdinal(a.ToString(), b.ToString());
        if (c != 0)
        {
            return c;
        }

        // Same text but different options somewhere: order by the options of the patterns in turn.
        for (int i = 0; i < a.Entries.Length && i < b.Entries.Length; i++)
        {
            c = ((int)a.Entries[i].Pattern.Options).CompareTo((int)b.Entries[i].Pattern.Options);
            if (c != 0)
            {
                return c;
            }
        }

        for (int i = 0; i < a.Exclusions.Length && i < b.Exclusions.Length; i++)
        {
            c = ((int)a.Exclusions[i].Options).CompareTo((int)b.Exclusions[i].Options);
            if (c != 0)
            {
                return c;
            }
        }

        return 0;
    }

    /// <summary>
    /// Collects entries and exclusions, then makes an immutable <see cref="ClaimSet"/>. Not thread-safe; the sets it
    /// makes are.
    /// </summary>
    public sealed class Builder
    {
        private readonly ImmutableArray<ClaimEntry>.Builder _entries = ImmutableArray.CreateBuilder<ClaimEntry>();
        private readonly ImmutableArray<Glob>.Builder _exclusions = ImmutableArray.CreateBuilder<Glob>();

        internal Builder()
        {
        }

        internal bool HasExclusionsOnly => _entries.Count == 0 && _exclusions.Count > 0;

        /// <summary>Adds an entry.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="entry"/> is null.</exception>
        public Builder Add(ClaimEntry entry)
        {
            ArgumentNullException.ThrowIfNull(entry);
            _entries.Add(entry);
            return this;
        }

        /// <summary>Adds an entry with <paramref name="mode"/> for <paramref name="pattern"/>.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
        public Builder Add(ClaimMode mode, Glob pattern) => Add(new ClaimEntry(mode, pattern));

        /// <summary>Adds an entry with <paramref name="mode"/> for <paramref name="pattern"/>, parsed with <paramref name="options"/>.</summary>
        /// <exception cref="GlobParseException">The pattern is not in the dialect.</exception>
        public Builder Add(ClaimMode mode, string pattern, GlobOptions options = GlobOptions.None) => Add(new ClaimEntry(mode, Glob.Parse(pattern, options)));

        /// <summary>Adds a <see cref="ClaimMode.Write"/> entry.</summary>
        /// <exception cref="GlobParseException">The pattern is not in the dialect.</exception>
        public Builder Write(string pattern) => Add(ClaimMode.Write, pattern);

        /// <summary>Adds an <see cref="ClaimMode.Append"/> entry.</summary>
        /// <exception cref="GlobParseException">The pattern is not in the dialect.</exception>
        public Builder Append(string pattern) => Add(ClaimMode.Append, pattern);

        /// <summary>Adds a <see cref="ClaimMode.Read"/> entry.</summary>
        /// <exception cref="GlobParseException">The pattern is not in the dialect.</exception>
        public Builder Read(string pattern) => Add(ClaimMode.Read, pattern);

        /// <summary>Adds an exclusion (applies to the entries of its namespace).</summary>
        /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
        public Builder Exclude(Glob pattern)
        {
            ArgumentNullException.ThrowIfNull(pattern);
            _exclusions.Add(pattern);
            return this;
        }

        /// <summary>Adds an exclusion parsed from <paramref name="pattern"/> (without the leading <c>!</c>).</summary>
        /// <exception cref="GlobParseException">The pattern is not in the dialect.</exception>
        public Builder Exclude(string pattern, GlobOptions options = GlobOptions.None) => Exclude(Glob.Parse(pattern, options));

        /// <summary>Makes the claim set. The builder can be used further.</summary>
        /// <exception cref="InvalidOperationException">There are exclusions but no entries.</exception>
        public ClaimSet ToClaimSet()
        {
            if (HasExclusionsOnly)
            {
                throw new InvalidOperationException("A claim set with exclusions needs at least one entry for them to subtract from.");
            }

            return CreateTrusted(_entries.ToImmutable(), _exclusions.ToImmutable());
        }
    }
}
