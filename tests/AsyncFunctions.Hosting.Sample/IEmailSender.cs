namespace AsyncFunctions.Hosting.Sample;

/// <summary>The app's own mail service, which <see cref="SendEmail"/> takes from DI.</summary>
public interface IEmailSender
{
    Task SendAsync(string to, CancellationToken cancellationToken);
}
