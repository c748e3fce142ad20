using System.Collections.Immutable;
using ClaimGraph.Globs;

namespace ClaimGraph.Claims;

/// <content>The builder.</content>
public sealed partial class ClaimSet
{
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
