using Fairlabel.Accounts;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Fairlabel.Tests.Accounts;

public sealed class ApiTokenRulesTests
{
    static readonly ApiTokenGrant ReadOnly = ApiTokenGrant.Of(readOnly: true, null, null);
    static readonly ApiTokenGrant Projects3And5 = ApiTokenGrant.Of(readOnly: false, [3, 5], null);
    static readonly ApiTokenGrant ReadOnlyProject3 = ApiTokenGrant.Of(readOnly: true, [3], null);

    static TokenTarget Project(int id) => new(id, WhoAmI: false);
    static readonly TokenTarget NoProject = new(null, WhoAmI: false);
    static readonly TokenTarget WhoAmI = new(null, WhoAmI: true);

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("get", true)]
    [InlineData("POST", false)]
    [InlineData("PUT", false)]
    [InlineData("DELETE", false)]
    [InlineData("PATCH", false)]
    [InlineData("OPTIONS", false)]
    public void A_read_only_token_makes_only_safe_requests(string method, bool allowed)
    {
        Assert.Equal(allowed ? TokenRefusal.None : TokenRefusal.ReadOnly, ApiTokenRules.Check(ReadOnly, method, Project(3)));
        Assert.Equal(allowed ? TokenRefusal.None : TokenRefusal.ReadOnly, ApiTokenRules.Check(ReadOnly, method, NoProject));
    }

    [Fact]
    public void A_full_token_is_not_limited()
    {
        foreach (var method in new[] { "GET", "POST", "DELETE" })
        foreach (var target in new[] { Project(3), NoProject, WhoAmI })
            Assert.Equal(TokenRefusal.None, ApiTokenRules.Check(ApiTokenGrant.Full, method, target));
    }

    [Fact]
    public void A_project_limited_token_reaches_its_projects_and_who_it_belongs_to_only()
    {
        Assert.Equal(TokenRefusal.None, ApiTokenRules.Check(Projects3And5, "POST", Project(3)));
        Assert.Equal(TokenRefusal.None, ApiTokenRules.Check(Projects3And5, "GET", Project(5)));
        Assert.Equal(TokenRefusal.OtherProject, ApiTokenRules.Check(Projects3And5, "GET", Project(4)));
        Assert.Equal(TokenRefusal.NoProject, ApiTokenRules.Check(Projects3And5, "GET", NoProject));
        Assert.Equal(TokenRefusal.None, ApiTokenRules.Check(Projects3And5, "GET", WhoAmI));
    }

    [Fact]
    public void Another_project_answers_as_missing_before_the_method_is_judged()
    {
        Assert.Equal(TokenRefusal.OtherProject, ApiTokenRules.Check(ReadOnlyProject3, "POST", Project(4)));
        Assert.Equal(TokenRefusal.ReadOnly, ApiTokenRules.Check(ReadOnlyProject3, "POST", Project(3)));
        Assert.Equal(TokenRefusal.None, ApiTokenRules.Check(ReadOnlyProject3, "GET", Project(3)));
    }

    [Theory]
    [InlineData("/api/projects/{id:int}", "id", "7", 7)]
    [InlineData("/api/projects/{id:int}/publish", "id", "7", 7)]
    [InlineData("/api/projects/{projectId:int}/imports/{importId:long}", "projectId", "12", 12)]
    [InlineData("/api/work/projects/{id:int}/tasks/next", "id", "3", 3)]
    [InlineData("/api/projects/{projectId:int}/export", "projectId", "abc", null)]
    public void A_route_names_the_project_that_follows_its_projects_segment(string pattern, string name, string value, int? project)
    {
        var target = ApiTokenRules.TargetOf(RoutePatternFactory.Parse(pattern), new RouteValueDictionary { [name] = value });
        Assert.Equal(new TokenTarget(project, WhoAmI: false), target);
    }

    [Theory]
    [InlineData("/api/projects")]
    [InlineData("/api/projects/")]
    [InlineData("/api/work/tasks/{assignmentId:long}/submit")]
    [InlineData("/api/work/earnings")]
    [InlineData("/api/me/profile")]
    public void Routes_without_a_project_name_none(string pattern) =>
        Assert.Equal(NoProject, ApiTokenRules.TargetOf(RoutePatternFactory.Parse(pattern), new RouteValueDictionary { ["assignmentId"] = "4" }));

    [Fact]
    public void Who_am_i_and_unrouted_requests_are_told_apart()
    {
        Assert.Equal(WhoAmI, ApiTokenRules.TargetOf(RoutePatternFactory.Parse("/api/auth/me"), new RouteValueDictionary()));
        Assert.Equal(NoProject, ApiTokenRules.TargetOf(null, new RouteValueDictionary()));
    }
}
