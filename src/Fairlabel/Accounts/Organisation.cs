namespace Fairlabel.Accounts;

public sealed class Organisation
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
