namespace Fairlabel.Cli;

/// What `fairlabel` returns, as `fairlabel --help` lists them.
public static class ExitCodes
{
    public const int Done = 0;
    /// The work itself failed: an import with errors, a declined confirmation, an unexpected error.
    public const int Failed = 1;
    /// Bad usage: an unknown or missing option, a bad value, a project or organisation that does not exist.
    public const int Usage = 2;
    /// The database cannot be reached, is not migrated, or the configuration is wrong.
    public const int Database = 3;

    public const string Help = """
        Exit codes:
          0  done
          1  the work failed (an import with errors, a declined confirmation, an unexpected error)
          2  bad usage (an unknown or missing option, a bad value, a project or organisation that does not exist)
          3  the database cannot be reached or is not migrated, or the configuration is wrong
        """;
}
