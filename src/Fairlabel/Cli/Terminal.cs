namespace Fairlabel.Cli;

/// Where a command talks to the person running it. Interactive when its input is a terminal,
/// so a question can be asked; a script's redirected input never answers one.
public sealed record Terminal(TextReader In, TextWriter Out, TextWriter Error, bool IsInteractive)
{
    public static Terminal FromConsole() => new(Console.In, Console.Out, Console.Error, !Console.IsInputRedirected);

    /// Asks a yes/no question whose default is no.
    public bool Confirm(string question)
    {
        Out.Write($"{question} [y/N] ");
        Out.Flush();
        return In.ReadLine()?.Trim().ToLowerInvariant() is "y" or "yes";
    }
}
