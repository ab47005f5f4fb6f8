using Microsoft.Extensions.Logging;
using Validium.Accel;

namespace Validium.Cli;

/// <summary>Composition of the accelerator layer for CLI commands: CPU always, GPU when ILGPU finds one.</summary>
internal static class AccelSetup
{
    public static BackendRegistry CreateRegistry(bool allowEmulation, TextWriter log)
    {
        var registry = new BackendRegistry();
        return registry;
    }

    public static ILogger<T> Logger<T>(TextWriter log) =>
        LoggerFactory.Create(b => b.AddSimpleConsole(o => { o.SingleLine = true; }).SetMinimumLevel(LogLevel.Warning)).CreateLogger<T>();
}
