using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fairlabel.Pay;

/// The least a tasker in a country may earn an hour, kept by the operator with where the figure
/// comes from. Country "*" is the global default, for countries without a floor of their own.
/// A country may have a floor in several currencies; a project is measured against the one in its
/// own currency, since no exchange rate is part of this system.
public sealed class PayFloor
{
    public const string Default = "*";
    public int Id { get; set; }
    /// ISO 3166-1 alpha-2 code, or <see cref="Default"/>.
    public required string Country { get; set; }
    public decimal HourlyAmount { get; set; }
    public required string Currency { get; set; }
    /// Where the figure comes from (a law, a collective agreement, a living-wage study), as the operator wrote it.
    public required string Source { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public int? UpdatedBy { get; set; }
}

sealed class PayFloorConfiguration : IEntityTypeConfiguration<PayFloor>
{
    public void Configure(EntityTypeBuilder<PayFloor> floor)
    {
        floor.HasIndex(f => new { f.Country, f.Currency }).IsUnique();
        floor.Property(f => f.Country).HasMaxLength(2);
        floor.Property(f => f.Currency).HasMaxLength(3);
        floor.Property(f => f.Source).HasMaxLength(500);
    }
}
