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
public sealed partial class ClaimSet : IEquatable<ClaimSet>
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
        return ClaimSetConflicts.Find(left, right);
    }

    /// <summary>The most search steps spent on one entry pair when exclusions are in play, before the answer turns conservative.</summary>
    public const int ExclusionSearchBudget = ExclusionSearch.DefaultBudget;

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
}
