namespace Fairlabel.Pay;

public static class PaySetup
{
    public static void AddPay(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PayOptions>().BindConfiguration("Pay");
    }

    public static void MapPay(this IEndpointRouteBuilder app)
    {
        app.MapPayFloors();
        app.MapFunds();
    }
}
