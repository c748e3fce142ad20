using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace ClaimGraph.Cli;

/// <summary>
/// Makes a command tree safe to parse with: no validator can throw out of <c>Parse</c>, and a number option's bad value
/// is a usage error in the CLI's words. Applied to the whole tree once it is built, so it covers every command,
/// including those added later.
/// </summary>
internal static class ParserHardening
{
    /// <summary>
    /// Wraps every validator of <paramref name="command"/> and below so that an <see cref="InvalidOperationException"/>
    /// (what reading an option's value throws when that value did not convert) is kept in <paramref name="faults"/>
    /// instead of escaping <c>Parse</c>; and gives every whole-number and number option without a parser of its own
    /// one that says what is wrong with the value.
    /// </summary>
    /// <remarks>
    /// The parser reports the value that did not convert as a parse error of its own, so a kept exception is only
    /// news when the parse has no error: the caller then treats it as the bug it is.
    /// </remarks>
    public static void Harden(Command command, List<Exception> faults)
    {
        Guard(command.Validators, faults);
        foreach (Argument argument in command.Arguments)
        {
            Guard(argument.Validators, faults);
        }

        foreach (Option option in command.Options)
        {
            Guard(option.Validators, faults);
            AddNumberParser(option);
        }

        foreach (Command subcommand in command.Subcommands)
        {
            Harden(subcommand, faults);
        }
    }

    private static void Guard<T>(List<Action<T>> validators, List<Exception> faults)
        where T : SymbolResult
    {
        for (int i = 0; i < validators.Count; i++)
        {
            Action<T> validate = validators[i];
            validators[i] = result =>
            {
                try
                {
                    validate(result);
                }
                catch (InvalidOperationException ex)
                {
                    faults.Add(ex);
                }
            };
        }
    }

    private static void AddNumberParser(Option option)
    {
        switch (option)
        {
            case Option<int> o when o.CustomParser is null:
                o.CustomParser = r => Whole<int>(r, o.Name);
                break;
            case Option<long> o when o.CustomParser is null:
                o.CustomParser = r => Whole<long>(r, o.Name);
                break;
            case Option<ulong> o when o.CustomParser is null:
                o.CustomParser = r => Whole<ulong>(r, o.Name);
                break;
            case Option<double> o when o.CustomParser is null:
                o.CustomParser = r => Real(r, o.Name);
                break;
        }
    }

    /// <summary>A whole number of type <typeparamref name="T"/>, or a usage error that says why the token is not one.</summary>
    internal static T Whole<T>(ArgumentResult result, string name)
        where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (result.Tokens.Count != 1)
        {
            // Arity is the parser's business (it reports a missing value itself).
            return T.Zero;
        }

        string text = result.Tokens[0].Value;
        if (T.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out T value))
        {
            return value;
        }

        result.AddError(IsWholeNumber(text)
            ? string.Create(CultureInfo.InvariantCulture, $"{name}: {Echo.Quote(text)} is out of range: the value is from {T.MinValue} to {T.MaxValue}.")
            : $"{name}: {Echo.Quote(text)} is not a whole number.");
        return T.Zero;
    }

    private static double Real(ArgumentResult result, string name)
    {
        if (result.Tokens.Count != 1)
        {
            return 0;
        }

        string text = result.Tokens[0].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
        {
            return value;
        }

        result.AddError($"{name}: {Echo.Quote(text)} is not a number.");
        return 0;
    }

    /// <summary>An optional sign and one or more ASCII digits: a whole number, whatever its size.</summary>
    private static bool IsWholeNumber(string text)
    {
        int start = text.Length > 0 && text[0] is '-' or '+' ? 1 : 0;
        return text.Length > start && text.AsSpan(start).IndexOfAnyExceptInRange('0', '9') < 0;
    }
}
