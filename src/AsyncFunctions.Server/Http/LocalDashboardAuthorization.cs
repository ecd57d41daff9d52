using AsyncFunctions.FunctionStacks.Http;
using Hangfire.Dashboard;

namespace AsyncFunctions.Server.Http;

/// <summary>
/// The dashboard answers local requests only (until the server has users), and never a request
/// step of a stack: an allow-list entry for this server itself must not hand stacks the
/// dashboard's requeue and delete buttons.
/// </summary>
internal sealed class LocalDashboardAuthorization : IDashboardAuthorizationFilter
{
    private readonly LocalRequestsOnlyAuthorizationFilter _local = new();

    public bool Authorize(DashboardContext context) =>
        _local.Authorize(context) && !context.GetHttpContext().Request.Headers.ContainsKey(StackRequestHeader.Name);
}
