namespace Fairlabel.Pay;

public static class PaySetup
{
    public static void AddPay(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PayOptions>().BindConfiguration("Pay");
        builder.Services.AddSingleton<AutoApproval>();
        builder.Services.AddHostedService(s => s.GetRequiredService<AutoApproval>());
    }

    public static void MapPay(this IEndpointRouteBuilder app)
    {
        app.MapPayFloors();
        app.MapFunds();
        app.MapReviews();
        app.MapEarnings();
    }
}
