using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Validium.Sequencer.Journal;

namespace Validium.Sequencer.Tests;

/// <summary>A fresh directory per test, removed afterwards, so tests run in parallel without sharing files.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vld-seq-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal sealed class ListLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception)));

    public IEnumerable<string> At(LogLevel level) => Entries.Where(e => e.Level == level).Select(e => e.Message);
}

internal static class JournalFiles
{
    public static Journal.Journal Open(string dir, long segmentBytes = 64L << 20, ILogger? logger = null, int maxBatchBytes = 4 << 20) =>
        Journal.Journal.Open(new JournalOptions
        {
            Directory = dir,
            SegmentBytes = segmentBytes,
            MaxBatchBytes = maxBatchBytes,
            MaxPayloadBytes = Math.Min(1 << 20, maxBatchBytes - 28),
        }, logger);

    public static byte[] Payload(int i, int length) => Enumerable.Range(0, length).Select(k => (byte)(i * 31 + k * 7)).ToArray();

    /// <summary>Appends one record per commit (each awaited), so every record is its own acknowledged batch.</summary>
    public static async Task<List<byte[]>> WriteOneByOne(string dir, int count, Func<int, int> length, long segmentBytes = 64L << 20)
    {
        var payloads = new List<byte[]>();
        using var journal = Open(dir, segmentBytes);
        for (int i = 0; i < count; i++)
        {
            var p = Payload(i, length(i));
            Assert.Equal(journal.LastDurableSequence + 1, await journal.AppendAsync(p, 1000 + i));
            payloads.Add(p);
        }
        return payloads;
    }

    public static List<JournalRecord> ReadAll(Journal.Journal journal) => journal.ReadFrom(0).ToList();

    public static string[] Segments(string dir) => [.. Directory.GetFiles(dir, "*.vjl").Order(StringComparer.Ordinal)];
}
