using Microsoft.Extensions.Logging;
using Validium.Accel;

namespace Validium.Cli.Tests;

public class AccelSetupTests
{
    /// <summary>The commands' logger writes warnings and errors as "level: Category: message" and drops the rest.</summary>
    [Fact]
    public void LoggerWritesWarningsAndWorseToTheGivenWriter()
    {
        var w = new StringWriter();
        var log = AccelSetup.Logger<AccelDispatcher>(w);
        log.LogInformation("not shown {N}", 1);
        log.LogDebug("not shown either");
        log.LogWarning("device {Name} fell back", "gpu:0");
        log.LogError(new InvalidOperationException("boom"), "failed after {Count} tries", 3);
        Assert.False(log.IsEnabled(LogLevel.Information));
        Assert.False(log.IsEnabled(LogLevel.None));
        Assert.True(log.IsEnabled(LogLevel.Critical));
        Assert.Equal(["warning: AccelDispatcher: device gpu:0 fell back", "error: AccelDispatcher: failed after 3 tries"], Cli.Lines(w.ToString()));
    }
}
