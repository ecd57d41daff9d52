using AsyncFunctions.FunctionStacks.Compiling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AsyncFunctions.FunctionStacks.Hosting;

/// <summary>
/// At start-up, saves the function documents of <see cref="FunctionStacksOptions.Folder"/> so that
/// functions can live in version control. A file whose document equals the current version saves
/// nothing; a file with problems is skipped and every problem is logged with its file and JSON
/// path. Definitions missing from the folder are left alone (they may have come through the API).
/// </summary>
public sealed partial class FunctionFolderStartup(
    IOptions<FunctionStacksOptions> options,
    StackDefinitions definitions,
    ILogger<FunctionFolderStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.Folder;
        if (string.IsNullOrWhiteSpace(configured))
        {
            return;
        }

        var folder = Path.GetFullPath(configured);
        if (!Directory.Exists(folder))
        {
            LogNoFolder(logger, folder);
            return;
        }

        var documents = FunctionFolderLoader.Load(folder);
        var inFolder = documents.Where(d => d.Function is not null).Select(d => d.Function!.Name).ToHashSet(StringComparer.Ordinal);
        int saved = 0, unchanged = 0, rejected = 0;
        foreach (var document in documents)
        {
            var file = Path.GetFileName(document.File);
            if (!document.Succeeded)
            {
                rejected++;
                LogProblems(logger, file, document.Problems);
                continue;
            }

            try
            {
                var result = await definitions.SaveAsync(document.Function!.Name, document.Document, inFolder.Contains, cancellationToken).ConfigureAwait(false);
                if (result.Changed)
                {
                    saved++;
                    LogSaved(logger, result.Name, result.Version, file);
                }
                else
                {
                    unchanged++;
                }
            }
            catch (DefinitionRejectedException ex)
            {
                rejected++;
                LogProblems(logger, file, ex.Problems);
            }
            catch (FunctionNameTakenException ex)
            {
                rejected++;
                LogProblems(logger, file, [new DocumentProblem("$.name", ex.Message)]);
            }
        }

        LogSummary(logger, folder, saved, unchanged, rejected);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static void LogProblems(ILogger logger, string file, IReadOnlyList<DocumentProblem> problems)
    {
        foreach (var problem in problems)
        {
            LogProblem(logger, file, problem.Path, problem.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "No function folder at {Folder}; no function documents loaded from files")]
    private static partial void LogNoFolder(ILogger logger, string folder);

    [LoggerMessage(Level = LogLevel.Error, Message = "Function file {File} was not loaded: {Path}: {Problem}")]
    private static partial void LogProblem(ILogger logger, string file, string path, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Saved function {Name} version {Version} from {File}")]
    private static partial void LogSaved(ILogger logger, string name, int version, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Function folder {Folder}: {Saved} saved, {Unchanged} unchanged, {Rejected} rejected")]
    private static partial void LogSummary(ILogger logger, string folder, int saved, int unchanged, int rejected);
}
