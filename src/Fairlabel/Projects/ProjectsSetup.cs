namespace Fairlabel.Projects;

public static class ProjectsSetup
{
    public static void AddProjects(this WebApplicationBuilder builder) =>
        builder.Services.AddSingleton<ProjectChanges>();
}
