namespace Fairlabel.Items;

/// The import's statements whose text differs by engine, SQLite's and PostgreSQL's side by side
/// (ItemImporter). SQLite inserts a chunk row by row with one prepared statement, each a call into
/// the library; PostgreSQL copies the chunk into a temporary table and inserts it in one statement.
static class ItemsSql
{
    // ---- A chunk of items inserted, skipping ids the project already has ----

    public const string InsertItemOnSqlite =
        "INSERT INTO items (project_id, external_id, data, gold, source, licence, consent_basis, personal_data, minors, " +
        "sensitivity, collected_at, import_id, imported_at, accepted, leased) VALUES " +
        "(@p, @e, @d, @g, @s, @l, @c, @pd, @m, @sen, @ca, @imp, @now, 0, 0) " +
        "ON CONFLICT (project_id, external_id) DO NOTHING";

    public const string ImportRowsOnPostgres =
        "CREATE TEMP TABLE IF NOT EXISTS import_rows (n int, external_id text, data text, gold text, source text, " +
        "licence text, consent_basis text, personal_data boolean, minors boolean, sensitivity text, collected_at bigint) " +
        "ON COMMIT DELETE ROWS";
    public const string CopyImportRowsOnPostgres =
        "COPY import_rows (n, external_id, data, gold, source, licence, consent_basis, personal_data, minors, sensitivity, " +
        "collected_at) FROM STDIN (FORMAT BINARY)";
    public const string InsertImportRowsOnPostgres =
        "INSERT INTO items (project_id, external_id, data, gold, source, licence, consent_basis, personal_data, minors, " +
        "sensitivity, collected_at, import_id, imported_at, accepted, leased) " +
        "SELECT @p, external_id, data, gold, source, licence, consent_basis, personal_data, minors, sensitivity, " +
        "collected_at, @imp, @now, 0, 0 FROM import_rows ORDER BY n ON CONFLICT (project_id, external_id) DO NOTHING";

    // ---- Once the import's rows are in: PostgreSQL's statistics (SQLite plans without them) ----

    public const string AnalyseOnPostgres = "VACUUM (ANALYZE) items";
}
