namespace Fairlabel.Quality.CommandLine;

/// <summary>A command-line mistake (unknown verb or option, missing value); reported with usage and exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>
/// "--name value" pairs after the verb. Every option takes a value; each verb declares the
/// options it knows, so a misspelt option is an error rather than silently ignored.
/// </summary>
internal sealed class CommandOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    private CommandOptions()
    {
    }

    public static CommandOptions Parse(ReadOnlySpan<string> args, IReadOnlyCollection<string> known)
    {
        var options = new CommandOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unexpected argument '{arg}'.");
            }

            var name = arg[2..];
            var equals = name.IndexOf('=');
            string value;
            if (equals >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            else if (i + 1 < args.Length)
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"option --{name} needs a value.");
            }

            if (!known.Contains(name))
            {
                throw new UsageException($"unknown option --{name}; this command takes {string.Join(", ", known.Select(k => "--" + k))}.");
            }

            options._values[name] = value;
        }

        return options;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public string Required(string name) => Get(name) ?? throw new UsageException($"missing --{name}.");

    public int Integer(string name, int fallback)
    {
        var text = Get(name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new UsageException($"--{name} must be a non-negative integer, not '{text}'.");
    }
}
