namespace AsyncFunctions.AspNetCore.Http;

/// <summary>How the API answers errors: RFC 7807 problem details through <see cref="ApiExceptionHandler"/>.</summary>
public static class ApiProblemServices
{
    public static IServiceCollection AddApiProblems(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();

        // A parameter that does not bind (limit=abc) throws in every environment, not only in
        // Development, so the answer names the parameter instead of being a bare 400.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }
}
