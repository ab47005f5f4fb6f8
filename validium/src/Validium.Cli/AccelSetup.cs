using Microsoft.Extensions.Logging;
using Validium.Accel;
using Validium.Accel.Gpu;

namespace Validium.Cli;

/// <summary>Composition of the accelerator layer for CLI commands: CPU always, a GPU when ILGPU finds one.</summary>
internal static class AccelSetup
{
    /// <summary>
    /// The registry with every device found. allowEmulation lets ILGPU's CPU accelerator stand in for a
    /// GPU (how CI and machines without one exercise the kernels); why a GPU is missing goes to the log.
    /// </summary>
    public static BackendRegistry CreateRegistry(bool allowEmulation, TextWriter log)
    {
        var registry = new BackendRegistry();
        if (GpuBackend.TryCreate(new GpuBackendOptions { AllowCpuEmulation = allowEmulation }, Logger<GpuBackend>(log), out var gpu))
            registry.Register(gpu);
        return registry;
    }

    public static ILogger<T> Logger<T>(TextWriter log) =>
        LoggerFactory.Create(b => b.AddProvider(new TextWriterLoggerProvider(log)).SetMinimumLevel(LogLevel.Warning)).CreateLogger<T>();

    /// <summary>Log lines go to the command's own error writer, so tests and pipes see them where they expect.</summary>
    private sealed class TextWriterLoggerProvider(TextWriter writer) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Writer(writer, categoryName);

        public void Dispose()
        {
        }

        private sealed class Writer(TextWriter w, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!IsEnabled(logLevel)) return;
                lock (w) w.WriteLine($"{logLevel.ToString().ToLowerInvariant()}: {category.Split('.')[^1]}: {formatter(state, exception)}");
            }
        }
    }
}
