using System.Globalization;
using System.Text.Json;
using Validium.Circuits;
using Validium.Proving.Formats;
using Validium.Proving.Groth16;
using Validium.Sequencer;

namespace Validium.Batcher;

/// <summary>
/// The batcher's data directory: <c>circuit.json</c> (the <see cref="CircuitConfig"/>), <c>circuit.zkey</c> (its
/// proving key), <c>verification_key.json</c> (what the L1 verifier was made from, snarkjs's form), and
/// <c>batches/NNNNNNNNNNNN.batch</c>, one <see cref="BatchFile"/> per batch, numbered from 1 without gaps;
/// <c>state/</c> holds the state trees, which are rebuilt from the batches on start.
/// <para>
/// Atomic files rather than RocksDB: each record is written once when cut and replaced once when proven, and is read
/// back only on start or offline; a file per batch (temp file, fsync, rename, directory fsync) is crash-safe with
/// nothing else to recover, and `vld batch prove` can read a batch while a running node holds the directory, which
/// RocksDB's exclusive lock would refuse.
/// </para>
/// </summary>
public sealed class BatchStore
{
    public const string ConfigFile = "circuit.json";
    public const string KeyFile = "circuit.zkey";
    public const string VerificationKeyFile = "verification_key.json";
    private const string BatchesDir = "batches";
    private const string Extension = ".batch";

    private static readonly JsonSerializerOptions ConfigJson = new() { WriteIndented = true, RespectRequiredConstructorParameters = true };

    private BatchStore(string directory, CircuitConfig config, VerifyingKey vk)
    {
        Directory = directory;
        Config = config;
        VerifyingKey = vk;
    }

    public string Directory { get; }

    public CircuitConfig Config { get; }

    /// <summary>Every proof is checked against this key before it is released.</summary>
    public VerifyingKey VerifyingKey { get; }

    public string StateDirectory => Path.Combine(Directory, "state");

    /// <summary>
    /// Creates the data directory for a circuit and its keys, or opens it when it was created for the same circuit
    /// and verification key (another one is refused: its batches would not verify on L1).
    /// </summary>
    public static BatchStore Initialize(string directory, CircuitConfig config, ProvingKey pk)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(pk);
        config = config.Checked();
        directory = Path.GetFullPath(directory);
        if (File.Exists(Path.Combine(directory, ConfigFile)))
        {
            var existing = Open(directory);
            if (ConfigText(existing.Config) != ConfigText(config))
                throw new InvalidOperationException($"{directory} holds batches of another circuit configuration ({ConfigFile} differs)");
            if (SnarkjsJson.WriteVerificationKey(existing.VerifyingKey) != SnarkjsJson.WriteVerificationKey(pk.VerifyingKey))
                throw new InvalidOperationException($"{directory} holds batches for another verification key ({VerificationKeyFile} differs)");
            return existing;
        }
        System.IO.Directory.CreateDirectory(Path.Combine(directory, BatchesDir));
        Durability.WriteAtomically(Path.Combine(directory, KeyFile), ZkeyFormat.Write(pk));
        Durability.WriteAtomically(Path.Combine(directory, VerificationKeyFile), System.Text.Encoding.UTF8.GetBytes(SnarkjsJson.WriteVerificationKey(pk.VerifyingKey)));
        // Written last: its presence is what marks the directory as initialised.
        Durability.WriteAtomically(Path.Combine(directory, ConfigFile), System.Text.Encoding.UTF8.GetBytes(ConfigText(config)));
        return new BatchStore(directory, config, pk.VerifyingKey);
    }

    /// <summary>Opens an initialised data directory.</summary>
    public static BatchStore Open(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        directory = Path.GetFullPath(directory);
        var configPath = Path.Combine(directory, ConfigFile);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"{directory} is not a batcher data directory: {ConfigFile} is missing", configPath);
        CircuitConfig config;
        try
        {
            config = JsonSerializer.Deserialize<CircuitConfig>(File.ReadAllText(configPath), ConfigJson) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{configPath}: not a circuit configuration: {e.Message}", e);
        }
        if (config.Validate() is { } err) throw new InvalidDataException($"{configPath}: {err}");
        var vkPath = Path.Combine(directory, VerificationKeyFile);
        var vk = SnarkjsJson.ReadVerificationKey(File.ReadAllText(vkPath), vkPath);
        if (vk.NumPublic != BatchCircuit.PublicInputNames.Length)
            throw new InvalidDataException($"{vkPath}: {vk.NumPublic} public inputs, the batch circuit has {BatchCircuit.PublicInputNames.Length}");
        if (!System.IO.Directory.Exists(Path.Combine(directory, BatchesDir))) throw new InvalidDataException($"{directory}: the {BatchesDir} directory is missing");
        return new BatchStore(directory, config, vk);
    }

    /// <summary>The proving key; one whose verification key is not the directory's is refused.</summary>
    public ProvingKey LoadProvingKey()
    {
        var pk = ZkeyFormat.Read(Path.Combine(Directory, KeyFile));
        if (SnarkjsJson.WriteVerificationKey(pk.VerifyingKey) != SnarkjsJson.WriteVerificationKey(VerifyingKey))
            throw new InvalidDataException($"{Path.Combine(Directory, KeyFile)} does not belong to {VerificationKeyFile}");
        return pk;
    }

    /// <summary>Restores the proving key (e.g. from a backup after damage); it must belong to the directory's verification key.</summary>
    public void ReplaceProvingKey(ProvingKey pk)
    {
        ArgumentNullException.ThrowIfNull(pk);
        if (SnarkjsJson.WriteVerificationKey(pk.VerifyingKey) != SnarkjsJson.WriteVerificationKey(VerifyingKey))
            throw new ArgumentException($"the key does not belong to {VerificationKeyFile}", nameof(pk));
        Durability.WriteAtomically(Path.Combine(Directory, KeyFile), ZkeyFormat.Write(pk));
    }

    public string PathOf(ulong number) => Path.Combine(Directory, BatchesDir, number.ToString("D12", CultureInfo.InvariantCulture) + Extension);

    /// <summary>The batch numbers present, 1..N; a gap means a batch file was lost, which is refused.</summary>
    public IReadOnlyList<ulong> List()
    {
        var numbers = new List<ulong>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Path.Combine(Directory, BatchesDir), "*" + Extension))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (name.Length != 12 || !ulong.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n == 0)
                throw new InvalidDataException($"{path}: not a batch file name (12 digits, from 1)");
            numbers.Add(n);
        }
        numbers.Sort();
        for (int i = 0; i < numbers.Count; i++)
            if (numbers[i] != (ulong)i + 1) throw new InvalidDataException($"{Path.Combine(Directory, BatchesDir)}: batch {(ulong)i + 1} is missing (found {numbers[i]} after it)");
        return numbers;
    }

    public BatchRecord Read(ulong number)
    {
        var path = PathOf(number);
        if (!File.Exists(path)) throw new FileNotFoundException($"batch {number} is not in {Directory}", path);
        var record = BatchFile.Read(File.ReadAllBytes(path), path);
        if (record.Number != number) throw new InvalidDataException($"batch record {path}: it holds batch {record.Number}");
        return record;
    }

    /// <summary>Writes (or replaces) a batch durably: once this returns, a crash keeps it.</summary>
    public void Write(BatchRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Validate() is { } problem) throw new ArgumentException($"batch {record.Number}: {problem}", nameof(record));
        Durability.WriteAtomically(PathOf(record.Number), BatchFile.Write(record));
    }

    private static string ConfigText(CircuitConfig config) => JsonSerializer.Serialize(config, ConfigJson);
}
