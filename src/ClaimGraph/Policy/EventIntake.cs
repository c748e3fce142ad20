using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using ClaimGraph.Claims;
using ClaimGraph.Globs;
using ClaimGraph.Graph;

namespace ClaimGraph.Policy;

/// <summary>What is wrong with a list of claim lines.</summary>
internal enum ClaimLineProblemKind
{
    /// <summary>A line holds a line break: it would be read as several lines.</summary>
    LineBreak,

    /// <summary>A line is empty or only blanks: it would silently add nothing (and a list of only such lines would be a barrier).</summary>
    Blank,

    /// <summary>A line is only a <c>#</c> comment: the same.</summary>
    Comment,

    /// <summary>The lines do not parse as one claim set (<see cref="ClaimLineProblem.Error"/> says why).</summary>
    Invalid,
}

/// <summary>The first problem of a list of claim lines: which line (zero-based), what, and for a parse error the parser's error.</summary>
internal sealed record ClaimLineProblem(int Index, ClaimLineProblemKind Kind, ClaimSetError? Error);

/// <summary>
/// The checks an event passes before the policy applies it, in one place, so that every reader of events (the JSON
/// readers of <c>ClaimGraph.Serialization</c>, the policy itself) applies the same rules with the same options.
/// </summary>
internal static class EventIntake
{
    /// <summary>Each request's claim set, parsed once however often it is asked for (events are immutable).</summary>
    private static readonly ConditionalWeakTable<RunRequested, ParsedClaims> Requests = new();

    /// <summary>
    /// The claim set of <paramref name="request"/> as the policy reads it: no lines is the barrier; otherwise each
    /// line is one claim (not blank, not a comment, no line break) and the lines parse as one claim set with the
    /// request's <see cref="RunRequested.IgnoreCase"/>. Parsed once per event instance; thread-safe.
    /// </summary>
    public static bool TryParseClaims(RunRequested request, [NotNullWhen(true)] out ClaimSet? claims, [NotNullWhen(false)] out ClaimLineProblem? problem)
    {
        ParsedClaims parsed = Requests.GetValue(request, static r => Parse(r.Claims, r.IgnoreCase));
        claims = parsed.Claims;
        problem = parsed.Problem;
        return claims is not null;
    }

    /// <summary>
    /// The checks every event passes before the policy applies it, none of which needs the graph's content: its time is
    /// within [<see cref="PolicyEvent.MinTime"/>, <see cref="PolicyEvent.MaxTime"/>] (and so is the graph's, which a
    /// hand-built graph could put beyond), so that <c>now</c> plus a lease or a backoff never overflows; its text is
    /// valid (<see cref="UnicodeText"/>); those refusals are <see cref="ReasonCode.InvalidEvent"/> with no run id. A run
    /// request's or an amendment's claim line that is blank, only a <c>#</c> comment or holds a line break is
    /// <see cref="ReasonCode.InvalidPattern"/> (a list of only blank lines would otherwise read as the barrier).
    /// </summary>
    public static RejectDecision? Check(WorkGraph graph, PolicyEvent e)
    {
        if (e.Time is < PolicyEvent.MinTime or > PolicyEvent.MaxTime)
        {
            return Invalid(e, Invariant($"the event's time {e.Time} is outside [{PolicyEvent.MinTime}, {PolicyEvent.MaxTime}] ms"));
        }

        if (graph.Now is < PolicyEvent.MinTime or > PolicyEvent.MaxTime)
        {
            return Invalid(e, Invariant($"the graph's time {graph.Now} is outside [{PolicyEvent.MinTime}, {PolicyEvent.MaxTime}] ms"));
        }

        if (UnicodeText.FindProblem(e) is { } text)
        {
            return Invalid(e, text);
        }

        (string? runId, ImmutableArray<string> lines) = e switch
        {
            RunRequested r => (r.RunId, r.Claims),
            ClaimsAmended a => (a.RunId, a.AdditionalClaims),
            _ => (null, default),
        };
        if (!lines.IsDefault && LineProblem(lines) is { } problem)
        {
            return new RejectDecision(e.EventId, runId, ReasonCode.InvalidPattern, Describe(problem, lines[problem.Index]));
        }

        return null;
    }

    /// <summary>A sentence for a claim-line problem, naming the line (zero-based) and quoting it (escaped, at most 160 characters).</summary>
    public static string Describe(ClaimLineProblem problem, string? line)
    {
        string quoted = line is null ? "null" : QuotedText.Quote(line, '"');
        return problem.Kind switch
        {
            ClaimLineProblemKind.LineBreak => Invariant($"claim line {problem.Index} ({quoted}) holds a line break: a claim is one line"),
            ClaimLineProblemKind.Blank => Invariant($"claim line {problem.Index} is blank: give one claim per line, such as \"write src/**\" (to declare no claims, a barrier, give no lines)"),
            ClaimLineProblemKind.Comment => Invariant($"claim line {problem.Index} ({quoted}) is a comment: the lines are claims only"),
            _ when problem.Error is { } error => Invariant($"claim line {problem.Index} ({quoted}): {error}"),
            _ => Invariant($"claim line {problem.Index} is invalid"),
        };
    }

    /// <summary>
    /// The first line of <paramref name="lines"/> that is blank, only a <c>#</c> comment or holds a line break, or
    /// <see langword="null"/>; null lines are left to the event's own checks. No parsing: O(total length).
    /// </summary>
    private static ClaimLineProblem? LineProblem(ImmutableArray<string> lines)
    {
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i] is { } line && LineKind(line) is { } kind)
            {
                return new ClaimLineProblem(i, kind, null);
            }
        }

        return null;
    }

    private static ClaimLineProblemKind? LineKind(string line)
    {
        if (line.AsSpan().IndexOfAny('\n', '\r') >= 0)
        {
            return ClaimLineProblemKind.LineBreak;
        }

        ReadOnlySpan<char> claim = line.AsSpan().Trim(" \t");
        return claim.IsEmpty ? ClaimLineProblemKind.Blank : claim[0] == '#' ? ClaimLineProblemKind.Comment : null;
    }

    private static RejectDecision Invalid(PolicyEvent e, string detail) => new(e.EventId, null, ReasonCode.InvalidEvent, detail);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The first problem of <paramref name="lines"/> read as in <see cref="TryParseClaims"/>, or <see langword="null"/>.</summary>
    public static ClaimLineProblem? CheckClaimLines(ImmutableArray<string> lines, bool ignoreCase) => Parse(lines, ignoreCase).Problem;

    private static ParsedClaims Parse(ImmutableArray<string> lines, bool ignoreCase)
    {
        if (lines.IsDefaultOrEmpty)
        {
            return new ParsedClaims(ClaimSet.Barrier, null);
        }

        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line is null)
            {
                return new ParsedClaims(null, new ClaimLineProblem(i, ClaimLineProblemKind.Invalid, null));
            }

            if (LineKind(line) is { } kind)
            {
                return new ParsedClaims(null, new ClaimLineProblem(i, kind, null));
            }
        }

        if (!ClaimSet.TryParse(string.Join("\n", lines), ignoreCase ? GlobOptions.IgnoreCase : GlobOptions.None, out ClaimSet? set, out ClaimSetError? error))
        {
            return new ParsedClaims(null, new ClaimLineProblem(Math.Clamp(error.Line - 1, 0, lines.Length - 1), ClaimLineProblemKind.Invalid, error));
        }

        return new ParsedClaims(set, null);
    }

    private sealed record ParsedClaims(ClaimSet? Claims, ClaimLineProblem? Problem);
}
