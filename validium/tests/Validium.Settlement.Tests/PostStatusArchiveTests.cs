using System.Text.Json;

namespace Validium.Settlement.Tests;

/// <summary>
/// The poster's status document stays small however many batches are confirmed (older confirmed statuses move to an
/// append-only archive), nothing is lost across restarts, and a crash between the archive append and the document
/// rewrite, a missing archive or a damaged line are handled or refused clearly.
/// </summary>
public sealed class PostStatusArchiveTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("poster-archive-");
    private string DocumentPath => Path.Combine(dir.FullName, "poster-status.json");
    private string ArchivePath => Path.Combine(dir.FullName, "poster-archive.jsonl");

    public void Dispose() => dir.Delete(recursive: true);

    private static BatchPostStatus Confirmed(ulong n) => new()
    {
        Number = n, Stage = PostStage.Confirmed, DataCommitment = $"{n * 7919}", Signers = ["0xaa", $"0x{n:x}"],
        TransactionHash = $"0x{n:x64}", GasUsed = 300_000 + n, Block = (long)n + 10, Updated = DateTimeOffset.UnixEpoch.AddSeconds(n),
    };

    private static void AssertSame(BatchPostStatus expected, BatchPostStatus? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Number, actual.Number);
        Assert.Equal(expected.Stage, actual.Stage);
        Assert.Equal(expected.DataCommitment, actual.DataCommitment);
        Assert.Equal(expected.Signers, actual.Signers);
        Assert.Equal(expected.TransactionHash, actual.TransactionHash);
        Assert.Equal(expected.GasUsed, actual.GasUsed);
        Assert.Equal(expected.Block, actual.Block);
        Assert.Equal(expected.Updated, actual.Updated);
    }

    /// <summary>How many batches the document itself lists, read with a plain JSON parser.</summary>
    private int DocumentBatches()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(DocumentPath));
        return doc.RootElement.GetProperty("batches").GetArrayLength();
    }

    [Fact]
    public void ConfirmedBatchesMoveToTheArchiveAndEveryStatusSurvivesARestart()
    {
        var file = new PostStatusFile(dir.FullName, keep: 4);
        for (ulong n = 1; n <= 500; n++)
        {
            file.Put(Confirmed(n) with { Stage = PostStage.Submitted });
            file.Put(Confirmed(n));
            Assert.InRange(DocumentBatches(), 1, 8);
        }
        file.Put(Confirmed(501) with { Stage = PostStage.Waiting, LastError = "committee down" });
        Assert.Equal(500UL, file.LastConfirmed);
        Assert.Equal(File.ReadAllLines(ArchivePath).Length, 500 - DocumentBatches() + 1);

        var reopened = new PostStatusFile(dir.FullName, keep: 4);
        Assert.Equal(500UL, reopened.LastConfirmed);
        for (ulong n = 1; n <= 500; n++) AssertSame(Confirmed(n), reopened.Get(n));
        Assert.Equal("committee down", reopened.Get(501)!.LastError);
        Assert.Null(reopened.Get(502));
        Assert.Null(reopened.Get(0));
        Assert.Equal(Enumerable.Range(1, 501).Select(i => (ulong)i), reopened.All.Select(s => s.Number));

        var e = Assert.Throws<InvalidOperationException>(() => reopened.Put(Confirmed(3) with { Stage = PostStage.Waiting }));
        Assert.Contains("archived", e.Message);
        AssertSame(Confirmed(3), reopened.Get(3));
    }

    [Fact]
    public void AVersionOneDocumentIsReadAndArchivedOnceItGrows()
    {
        var batches = Enumerable.Range(1, 30).Select(i => Confirmed((ulong)i)).ToArray();
        var options = new JsonSerializerOptions { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
        File.WriteAllText(DocumentPath, $"{{\"version\":1,\"batches\":{JsonSerializer.Serialize(batches, options)}}}");

        var file = new PostStatusFile(dir.FullName, keep: 4);
        Assert.Equal(30UL, file.LastConfirmed);
        file.Put(Confirmed(31));
        Assert.Equal(4, DocumentBatches());
        var reopened = new PostStatusFile(dir.FullName, keep: 4);
        Assert.Equal(31UL, reopened.LastConfirmed);
        foreach (var b in batches) AssertSame(b, reopened.Get(b.Number));
    }

    [Fact]
    public void ArchiveLinesACrashLeftBeyondTheDocumentAreCutOff()
    {
        var file = new PostStatusFile(dir.FullName, keep: 4);
        for (ulong n = 1; n <= 10; n++) file.Put(Confirmed(n));
        var archived = File.ReadAllLines(ArchivePath);
        Assert.Equal(4, archived.Length);

        // The document still lists batches 5..10; a crash after appending them to the archive leaves them twice,
        // plus half a line.
        var docBefore = File.ReadAllBytes(DocumentPath);
        var lines = new PostStatusFile(dir.FullName, keep: 4);
        for (ulong n = 11; n <= 12; n++) lines.Put(Confirmed(n));
        File.WriteAllBytes(DocumentPath, docBefore);
        File.AppendAllText(ArchivePath, "{\"number\":9,\"sta");

        var reopened = new PostStatusFile(dir.FullName, keep: 4);
        Assert.Equal(10UL, reopened.LastConfirmed);
        Assert.Equal(archived, File.ReadAllLines(ArchivePath));
        for (ulong n = 1; n <= 10; n++) AssertSame(Confirmed(n), reopened.Get(n));
        Assert.Null(reopened.Get(11));
        reopened.Put(Confirmed(11));
        AssertSame(Confirmed(11), new PostStatusFile(dir.FullName, keep: 4).Get(11));
    }

    [Fact]
    public void AMissingOrDamagedArchiveIsRefusedWithTheFileNamed()
    {
        var file = new PostStatusFile(dir.FullName, keep: 4);
        for (ulong n = 1; n <= 8; n++) file.Put(Confirmed(n));
        var archive = File.ReadAllLines(ArchivePath);

        File.WriteAllLines(ArchivePath, [archive[0], archive[1].Replace("\"number\":2", "\"number\":3", StringComparison.Ordinal), .. archive[2..]]);
        var e = Assert.Throws<InvalidDataException>(() => new PostStatusFile(dir.FullName, keep: 4));
        Assert.Contains("poster-archive.jsonl", e.Message);
        Assert.Contains("line 2", e.Message);

        File.WriteAllLines(ArchivePath, [archive[0], "not json", .. archive[2..]]);
        e = Assert.Throws<InvalidDataException>(() => new PostStatusFile(dir.FullName, keep: 4));
        Assert.Contains("batch 2's line is not a status", e.Message);

        File.WriteAllLines(ArchivePath, archive[..2]);
        e = Assert.Throws<InvalidDataException>(() => new PostStatusFile(dir.FullName, keep: 4));
        Assert.Contains("holds batches 1..2", e.Message);

        File.Delete(ArchivePath);
        e = Assert.Throws<InvalidDataException>(() => new PostStatusFile(dir.FullName, keep: 4));
        Assert.Contains("is missing", e.Message);
    }
}
