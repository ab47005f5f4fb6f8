namespace Validium.DevNet.Tests;

public sealed class ManifestTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("devnet-manifest-");

    public void Dispose() => dir.Delete(true);

    [Fact]
    public void A_missing_manifest_is_none_and_a_damaged_one_is_named()
    {
        Assert.Null(DevNetManifest.TryRead(dir.FullName));
        var path = Path.Combine(dir.FullName, DevNetManifest.FileName);
        File.WriteAllText(path, "{ not json");
        Assert.Contains(DevNetManifest.FileName, Assert.Throws<InvalidDataException>(() => DevNetManifest.Read(path)).Message);
        File.WriteAllText(path, "null");
        Assert.Contains("holds null", Assert.Throws<InvalidDataException>(() => DevNetManifest.Read(path)).Message);
        File.WriteAllText(path, "{\"version\": 1}");
        Assert.Contains("not a devnet manifest", Assert.Throws<InvalidDataException>(() => DevNetManifest.Read(path)).Message);
    }
}
