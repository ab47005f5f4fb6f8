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

    /// <summary>
    /// A logger writing warnings and worse to the command's error writer, so tests and pipes see them where they
    /// expect. Built directly rather than through LoggerFactory, whose dependency-injection container took most of
    /// the 0.15 s a `groth16 prove` spent probing devices, on the critical path before proving could start.
    /// </summary>
    public static ILogger<T> Logger<T>(TextWriter log) => new Writer<T>(log);

    private sealed class Writer<T>(TextWriter w) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Warning and < LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            lock (w) w.WriteLine($"{logLevel.ToString().ToLowerInvariant()}: {typeof(T).Name}: {formatter(state, exception)}");
        }
    }
}
