using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.AspNetCore.Http;

/// <summary>
/// Refuses bodies over <see cref="ApiOptions.MaxRequestBodyBytes"/> with 413: at once when the
/// length is declared, otherwise while reading (Kestrel's own limit, set here per request).
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<ApiOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var limit = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            throw new BadHttpRequestException($"The request body is {context.Request.ContentLength} bytes; the limit is {limit} bytes (AsyncFunctions:Api:MaxRequestBodyBytes).", StatusCodes.Status413PayloadTooLarge);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(context);
    }
}
