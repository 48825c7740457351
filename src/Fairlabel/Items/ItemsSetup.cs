using Fairlabel.Export;

namespace Fairlabel.Items;

public static class ItemsSetup
{
    public static void AddItemsAndExports(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportOptions>().BindConfiguration("Imports");
        builder.Services.AddSingleton<ItemImporter>();
        builder.Services.AddSingleton<ImportUploads>();
        builder.Services.AddSingleton<ProjectExport>();
        builder.Services.AddSingleton<ImportMetrics>();
        builder.Services.AddSingleton<ExportMetrics>();
        builder.Services.AddHostedService<ImportWatch>();
    }
}
