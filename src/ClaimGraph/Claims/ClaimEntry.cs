using ClaimGraph.Globs;

namespace ClaimGraph.Claims;

/// <summary>
/// One entry of a claim set: a <see cref="ClaimMode"/> and the pattern it applies to. Immutable and safe to share
/// between threads. Two entries are equal when their modes and patterns are equal.
/// </summary>
public sealed class ClaimEntry : IEquatable<ClaimEntry>, IComparable<ClaimEntry>
{
    /// <summary>Creates an entry.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value.</exception>
    public ClaimEntry(ClaimMode mode, Glob pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!ClaimModeExtensions.IsKnown(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a claim mode.");
        }

        Mode = mode;
        Pattern = pattern;
    }

    /// <summary>The mode.</summary>
    public ClaimMode Mode { get; }

    /// <summary>The pattern; its namespace is the entry's namespace.</summary>
    public Glob Pattern { get; }

    /// <summary>The namespace of <see cref="Pattern"/> (empty for repository paths).</summary>
    public string Namespace => Pattern.Namespace;

    /// <summary>A <see cref="ClaimMode.Write"/> entry for <paramref name="pattern"/> (parsed with default options).</summary>
    /// <exception cref="GlobParseException">The pattern is not in the dialect.</exception>
    public static ClaimEntry Write(string pattern) => new(ClaimMode.Write, Glob.Parse(pattern));

    /// <summary>An <see cref="ClaimMode.Append"/> entry for <paramref name="pattern"/> (parsed with default options).</summary>
    /// <exception cref="GlobParseException">The pattern is not in the dialect.</exception>
    public static ClaimEntry Append(string pattern) => new(ClaimMode.Append, Glob.Parse(pattern));

    /// <summary>A <see cref="ClaimMode.Read"/> entry for <paramref name="pattern"/> (parsed with default options).</summary>
    /// <exception cref="GlobParseException">The pattern is not in the dialect.</exception>
    public static ClaimEntry Read(string pattern) => new(ClaimMode.Read, Glob.Parse(pattern));

    /// <summary>
    /// An entry for exactly one repository path (and, as every claim, what is below it): the path with the dialect's
    /// special characters escaped.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="InvalidPathException">The path is not a valid repository path.</exception>
    public static ClaimEntry ForPath(ClaimMode mode, string path) => new(mode, Glob.Parse(EscapePath(path)));

    /// <summary>
    /// The pattern text that matches exactly <paramref name="path"/>: <see cref="Glob.EscapeLiteral(string)"/> of the
    /// validated path. O(length).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="InvalidPathException">The path is not a valid repository path.</exception>
    public static string EscapePath(string path)
    {
        GlobPath.Validate(path);
        return Glob.EscapeLiteral(path);
    }

    /// <summary>Whether this entry's mode conflicts with <paramref name="other"/>'s and their patterns overlap (exclusions not considered).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is null.</exception>
    public bool ConflictsWith(ClaimEntry other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Mode.ConflictsWith(other.Mode) && Glob.Overlaps(Pattern, other.Pattern);
    }

    /// <summary>The text form, as read by <see cref="ClaimSet.Parse(string, GlobOptions)"/>: <c>write src/**</c>.</summary>
    public override string ToString() => Mode.ToKeyword() + " " + Pattern;

    /// <inheritdoc/>
    public bool Equals(ClaimEntry? other) => other is not null && Mode == other.Mode && Pattern.Equals(other.Pattern);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ClaimEntry);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Mode, Pattern);

    /// <summary>
    /// A total order consistent with equality: by namespace, pattern text, options (all ordinal), then mode. Used to
    /// sort deterministically; it means nothing about coverage.
    /// </summary>
    public int CompareTo(ClaimEntry? other)
    {
        if (other is null)
        {
            return 1;
        }

        int c = string.CompareOrdinal(Pattern.Namespace, other.Pattern.Namespace);
        if (c == 0)
        {
            c = string.CompareOrdinal(Pattern.Pattern, other.Pattern.Pattern);
        }

        if (c == 0)
        {
            c = ((int)Pattern.Options).CompareTo((int)other.Pattern.Options);
        }

        return c != 0 ? c : ((int)Mode).CompareTo((int)other.Mode);
    }

    /// <summary>Equality operator.</summary>
    public static bool operator ==(ClaimEntry? left, ClaimEntry? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Inequality operator.</summary>
    public static bool operator !=(ClaimEntry? left, ClaimEntry? right) => !(left == right);

    /// <summary>Less-than in the <see cref="CompareTo"/> order.</summary>
    public static bool operator <(ClaimEntry? left, ClaimEntry? right) => Compare(left, right) < 0;

    /// <summary>Less-than-or-equal in the <see cref="CompareTo"/> order.</summary>
    public static bool operator <=(ClaimEntry? left, ClaimEntry? right) => Compare(left, right) <= 0;

    /// <summary>Greater-than in the <see cref="CompareTo"/> order.</summary>
    public static bool operator >(ClaimEntry? left, ClaimEntry? right) => Compare(left, right) > 0;

    /// <summary>Greater-than-or-equal in the <see cref="CompareTo"/> order.</summary>
    public static bool operator >=(ClaimEntry? left, ClaimEntry? right) => Compare(left, right) >= 0;

    private static int Compare(ClaimEntry? left, ClaimEntry? right) =>
        left is null ? (right is null ? 0 : -1) : left.CompareTo(right);
}
