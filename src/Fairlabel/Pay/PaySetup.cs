namespace Fairlabel.Pay;

public static class PaySetup
{
    public static void MapPay(this IEndpointRouteBuilder app)
    {
        app.MapPayFloors();
    }
}
