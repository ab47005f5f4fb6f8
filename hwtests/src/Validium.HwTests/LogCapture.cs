using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Validium.HwTests;

/// <summary>One line the driver, the board client or the dispatcher logged while a check ran.</summary>
public sealed record LogLine(string Level, string Source, string Message);

/// <summary>
/// Collects what the accelerator layer logs for one device under test, so a report quotes the driver's own words
/// about a fault, and can forward the lines to a caller's logger (the CLI's stderr) as well.
/// </summary>
public sealed class LogCapture
{
    private readonly ConcurrentQueue<LogLine> lines = new();
    private readonly ILogger? forward;

    public LogCapture(ILogger? forward = null) => this.forward = forward;

    public int Count => lines.Count;

    /// <summary>The lines logged since <paramref name="mark"/> (a value of <see cref="Count"/> taken earlier).</summary>
    public IReadOnlyList<LogLine> Since(int mark) => lines.Skip(mark).ToList();

    public ILogger<T> For<T>() => new Logger<T>(this, typeof(T).Name);

    private void Add(LogLevel level, EventId eventId, string source, string message, Exception? ex)
    {
        lines.Enqueue(new(level.ToString(), source, ex is null ? message : $"{message} ({ex.GetType().Name}: {ex.Message})"));
        forward?.Log(level, eventId, ex, "{Source}: {Message}", source, message);
    }

    private sealed class Logger<T>(LogCapture owner, string source) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            owner.Add(logLevel, eventId, source, formatter(state, exception), exception);
        }
    }
}
