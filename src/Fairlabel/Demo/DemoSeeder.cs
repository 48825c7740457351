using System.Text.Json;
using Fairlabel.Accounts;
using Fairlabel.Data;
using Fairlabel.Events;
using Fairlabel.Items;
using Fairlabel.Projects;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Demo;

/// `fairlabel demo`: a demo organisation with two realistic published projects and accounts
/// for every role. Runs once per database; later starts find it and only print the accounts.
public static class DemoSeeder
{
    public const string Password = "fairlabel-demo";
    public const string OrganisationName = "Demo Lab";

    static readonly (string Email, string Name, string Role, string? Country, string[] Languages)[] Accounts =
    [
        ("operator@demo.fairlabel.org", "Olu Operator", Roles.Operator, null, []),
        ("requester@demo.fairlabel.org", "Rita Requester", Roles.Requester, null, []),
        ("tasker1@demo.fairlabel.org", "Amina Njoroge", Roles.Tasker, "KE", ["en", "sw"]),
        ("tasker2@demo.fairlabel.org", "Paolo Reyes", Roles.Tasker, "PH", ["en", "tl"]),
        ("tasker3@demo.fairlabel.org", "Beatriz Lima", Roles.Tasker, "BR", ["pt", "en"]),
    ];

    public const string ComparisonTemplate = """
        {"fields": [
           {"id": "prompt", "type": "text", "label": "User prompt", "source": "prompt"},
           {"id": "responses", "type": "side_by_side", "label": "Chatbot responses",
            "sources": ["response_a", "response_b"], "labels": ["Response A", "Response B"]}],
         "questions": [
           {"id": "preference", "type": "pairwise", "prompt": "Which response is better overall?",
            "strength": true, "rationale": {"required": false, "maxLength": 1000}}]}
        """;

    public const string TicketsTemplate = """
        {"fields": [
           {"id": "subject", "type": "text", "label": "Subject", "source": "subject"},
           {"id": "message", "type": "text", "label": "Message", "source": "message"}],
         "questions": [
           {"id": "category", "type": "single_choice", "prompt": "Which team should handle this ticket?",
            "options": [{"value": "billing", "label": "Billing"}, {"value": "bug", "label": "Bug"},
                        {"value": "feature_request", "label": "Feature request"},
                        {"value": "account_access", "label": "Account access"}, {"value": "other", "label": "Other"}]},
           {"id": "note", "type": "free_text", "prompt": "Note for the reviewer (optional)", "required": false, "maxLength": 300}]}
        """;

    /// Every step checks what exists first, so a start interrupted half-way finishes the job next time.
    public static async Task SeedAsync(IServiceProvider services, TextWriter output)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<FairlabelDb>();
        var now = DateTimeOffset.UtcNow;
        var organisation = await db.Organisations.FirstOrDefaultAsync(o => o.Name == OrganisationName)
            ?? db.Organisations.Add(new Organisation { Name = OrganisationName, CreatedAt = now }).Entity;
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<User>>();
        foreach (var (email, name, role, country, languages) in Accounts)
        {
            if (await db.Users.AnyAsync(u => u.Email == email)) continue;
            var user = new User
            {
                Email = email, DisplayName = name, Role = role, Country = country, Languages = [.. languages], CreatedAt = now,
            };
            if (role == Roles.Requester) { user.Organisation = organisation; user.OrganisationRole = "owner"; }
            user.PasswordHash = hasher.HashPassword(user, Password);
            db.Users.Add(user);
        }
        await db.SaveChangesAsync();

        await DemoPayFloors.EnsureAsync(db);
        await DemoPayFloors.EnsureStartingBalanceAsync(db, organisation);
        await EnsureProjectAsync(scope.ServiceProvider, db, organisation, "Chatbot answer comparison",
            "Compare two chatbot answers to the same prompt and say which is better, and how strongly.",
            ComparisonTemplate, "chatbot-comparison", payPerTask: 0.60m, estimatedSeconds: 90);
        await EnsureProjectAsync(scope.ServiceProvider, db, organisation, "Support ticket routing",
            "Read a customer-support message and choose the team that should handle it.",
            TicketsTemplate, "support-tickets", payPerTask: 0.12m, estimatedSeconds: 20);
        // A draft that cannot be published: $0.001 for a minute's work, $0.06 an hour. Publishing
        // it shows the pay-floor refusal, with the country, the floor and the estimate.
        await EnsureProjectAsync(scope.ServiceProvider, db, organisation, "Sweatshop rate test",
            "Shows what happens to a project that pays far below the pay floor: publishing it is refused.",
            TicketsTemplate, "support-tickets", payPerTask: 0.001m, estimatedSeconds: 60, publish: false);

        var settings = services.GetRequiredService<DatabaseSettings>();
        output.WriteLine($"""

            Fairlabel demo on {settings.Target}
            Demo accounts (password: {Password}):
            {string.Join("\n", Accounts.Select(a => $"  {a.Role,-9} {a.Email}"))}

            """);
    }

    static async Task EnsureProjectAsync(IServiceProvider services, FairlabelDb db, Organisation organisation, string name,
        string description, string template, string resource, decimal payPerTask, int estimatedSeconds, bool publish = true)
    {
        var project = await db.Projects.FirstOrDefaultAsync(p => p.OrganisationId == organisation.Id && p.Name == name);
        if (project is null)
        {
            project = NewProject(organisation, name, description, template, Resource(resource + ".guidelines.md"),
                payPerTask, estimatedSeconds, DateTimeOffset.UtcNow);
            db.Projects.Add(project);
            db.Record("demo.project_created", null, organisation.Id, data: new { name });
            await db.SaveChangesAsync();
        }
        if (!await db.Imports.AnyAsync(i => i.ProjectId == project.Id && i.Status == ImportStatus.Succeeded))
            await ImportAsync(services, project, resource + ".jsonl");
        if (project.Status == ProjectStatus.Draft && publish)
        {
            await DemoPayFloors.FundEscrowAsync(services, db, project);
            project.Status = ProjectStatus.Published;
            db.Record("project.published", null, organisation.Id, project.Id, new { from = ProjectStatus.Draft });
            await db.SaveChangesAsync();
        }
    }

    static Project NewProject(Organisation organisation, string name, string description, string template, string guidelines,
        decimal payPerTask, int estimatedSeconds, DateTimeOffset now) => new()
    {
        Organisation = organisation, Name = name, Description = description,
        Template = JsonDocument.Parse(template).RootElement.GetRawText(), Guidelines = guidelines, Overlap = 3,
        PayPerTask = payPerTask, Currency = "USD", EstimatedSeconds = estimatedSeconds,
        LeaseSeconds = Math.Clamp(estimatedSeconds * 4, 300, 7200), Status = ProjectStatus.Draft, CreatedAt = now, UpdatedAt = now,
    };

    static async Task ImportAsync(IServiceProvider services, Project project, string resource)
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, Resource(resource));
            var import = await services.GetRequiredService<ImportUploads>().CreateAsync(project, null, resource, "jsonl");
            var result = await services.GetRequiredService<ItemImporter>().RunAsync(import.Id, project.Id, path, "jsonl",
                new ImportDefaults(null, null, null), TemplateParser.ParseStored(project.Template));
            if (result.Status != ImportStatus.Succeeded)
                throw new InvalidOperationException($"Demo data {resource} did not import: " +
                    string.Join("; ", result.Errors.Select(e => $"line {e.Line} {e.Field}: {e.Message}")));
        }
        finally { File.Delete(path); }
    }

    static string Resource(string name)
    {
        using var stream = typeof(DemoSeeder).Assembly.GetManifestResourceStream("demo/" + name)
            ?? throw new InvalidOperationException($"Missing demo resource {name}");
        return new StreamReader(stream).ReadToEnd();
    }
}
