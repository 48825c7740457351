using System.Security.Claims;
using Fairlabel.Accounts;
using Fairlabel.Data;
using Microsoft.EntityFrameworkCore;

namespace Fairlabel.Projects;

/// Who may see and change a project: requesters of the organisation that owns it. Anyone else
/// gets "not found", so another organisation's projects cannot even be confirmed to exist.
public static class ProjectAccess
{
    public static bool CanManage(ClaimsPrincipal user, int organisationId) =>
        user.Role() == Roles.Requester && user.OrganisationId() == organisationId;

    public static Task<Project?> FindManagedAsync(this FairlabelDb db, ClaimsPrincipal user, int projectId)
    {
        var org = user.Role() == Roles.Requester ? user.OrganisationId() : null;
        return db.Projects.FirstOrDefaultAsync(p => p.Id == projectId && p.OrganisationId == org);
    }
}
