using Microsoft.Extensions.DependencyInjection;

namespace AsyncFunctions.Hangfire.Webhooks;

/// <summary>The settings of completion webhooks and the checks they get at start-up.</summary>
public static class WebhookComposition
{
    public static void AddWebhookOptions(IServiceCollection services)
    {
        const string section = WebhookOptions.Section;
        services.AddOptions<WebhookOptions>().BindConfiguration(section)
            .Validate(o => !o.HasSecret || WebhookSecret.TryDecode(o.Secret) is not null, $"{section}:Secret must be 'whsec_' followed by 24 to 64 bytes in base64.")
            .Validate(o => o.MaxAttempts is >= 1 and <= 100, $"{section}:MaxAttempts must be between 1 and 100.")
            .Validate(o => o.Timeout >= TimeSpan.FromSeconds(1) && o.Timeout <= TimeSpan.FromMinutes(5), $"{section}:Timeout must be between 00:00:01 and 00:05:00.")
            .Validate(o => o.RetryDelaysSeconds is null || o.RetryDelaysSeconds.All(d => d is >= 0 and <= 86400), $"{section}:RetryDelaysSeconds must list delays from 0 to 86400 seconds.")
            .ValidateOnStart();
    }
}
