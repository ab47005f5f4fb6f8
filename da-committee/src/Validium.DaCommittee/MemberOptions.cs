using System.Globalization;
using System.Numerics;
using Microsoft.Extensions.Configuration;
using Validium.Crypto;
using Validium.DaCommittee.Client;

namespace Validium.DaCommittee;

/// <summary>
/// A member's configuration: defaults here, then the JSON file, then environment variables prefixed VLD_DAC_
/// (e.g. VLD_DAC_Listen, VLD_DAC_L1__Rpc). Relative paths are relative to the file. The key is never in the config:
/// it is a keystore file, opened with a password from <see cref="PasswordFile"/> or $VLD_KEYSTORE_PASSWORD.
/// </summary>
public sealed class MemberOptions
{
    public const string PasswordEnvironmentVariable = "VLD_KEYSTORE_PASSWORD";

    /// <summary>Where the API listens; loopback unless configured otherwise. Port 0 picks a free port (tests).</summary>
    public string Listen { get; set; } = "http://127.0.0.1:7400";

    public string Keystore { get; set; } = "";
    public string? PasswordFile { get; set; }
    public string DataDir { get; set; } = "";

    public string ChainId { get; set; } = "";
    public string Contract { get; set; } = "";

    /// <summary>The only key whose submissions are accepted.</summary>
    public string Sequencer { get; set; } = "";

    public long MaxBatchBytes { get; set; } = 16 << 20;
    public int MaxClockSkewSeconds { get; set; } = 60;
    /// <summary>zstd level. 1 by default: on batch-like words it compressed better than 3 and twice as fast (bench/RESULTS.md).</summary>
    public int CompressionLevel { get; set; } = 1;

    /// <summary>Fixed membership for a local committee; ignored when <see cref="L1"/> is set.</summary>
    public StaticCommitteeOptions? Committee { get; set; }

    /// <summary>Follow the contract for membership and threshold (and finalization, for retention).</summary>
    public L1Options? L1 { get; set; }

    /// <summary>Null keeps every batch forever; N prunes batches more than N behind the last finalized (proven) batch on L1.</summary>
    public long? RetainFinalizedBatches { get; set; }

    public sealed class StaticCommitteeOptions
    {
        public string[] Members { get; set; } = [];
        public int Threshold { get; set; }
    }

    public sealed class L1Options
    {
        public string Rpc { get; set; } = "";
        public double PollIntervalSeconds { get; set; } = 5;

        /// <summary>Blocks behind the head at which a proven batch counts as finalized for retention.</summary>
        public int Confirmations { get; set; } = 12;
    }

    public static MemberOptions Load(string configPath)
    {
        if (!File.Exists(configPath)) throw new FileNotFoundException($"member config {configPath} does not exist", configPath);
        var full = Path.GetFullPath(configPath);
        IConfiguration config;
        try
        {
            config = new ConfigurationBuilder().AddJsonFile(full, optional: false, reloadOnChange: false).AddEnvironmentVariables("VLD_DAC_").Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new FormatException($"{configPath}: not valid JSON: {e.Message}", e);
        }
        var options = new MemberOptions();
        try
        {
            config.Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException($"{configPath}: {e.Message}", e);
        }
        options.ResolvePaths(Path.GetDirectoryName(full)!);
        return options;
    }

    public void ResolvePaths(string baseDirectory)
    {
        if (Keystore.Length > 0) Keystore = Path.GetFullPath(Keystore, baseDirectory);
        if (DataDir.Length > 0) DataDir = Path.GetFullPath(DataDir, baseDirectory);
        if (PasswordFile is { Length: > 0 }) PasswordFile = Path.GetFullPath(PasswordFile, baseDirectory);
    }

    /// <summary>Every field checked, every problem named, before anything is opened.</summary>
    public ValidatedMemberOptions Validate()
    {
        var problems = new List<string>();
        if (!Uri.TryCreate(Listen, UriKind.Absolute, out var listen) || listen.Scheme != "http" || listen.AbsolutePath != "/")
            problems.Add($"Listen must be http://HOST:PORT, got '{Listen}'");
        if (Keystore.Length == 0) problems.Add("Keystore (the member's key file) is required");
        if (DataDir.Length == 0) problems.Add("DataDir is required");
        if (!BigInteger.TryParse(ChainId, NumberStyles.None, CultureInfo.InvariantCulture, out var chainId) || chainId.IsZero) problems.Add($"ChainId must be a positive decimal integer, got '{ChainId}'");
        if (!EthereumAddress.TryParse(Contract, out var contract)) problems.Add($"Contract must be a 0x address, got '{Contract}'");
        if (!EthereumAddress.TryParse(Sequencer, out var sequencer)) problems.Add($"Sequencer must be a 0x address, got '{Sequencer}'");
        if (MaxBatchBytes is < 32 or > int.MaxValue) problems.Add($"MaxBatchBytes must be in 32..{int.MaxValue}");
        if (MaxClockSkewSeconds is < 1 or > 3600) problems.Add("MaxClockSkewSeconds must be in 1..3600");
        if (CompressionLevel is < 1 or > 19) problems.Add("CompressionLevel must be a zstd level 1..19");
        CommitteeSnapshot? staticCommittee = null;
        Uri? rpc = null;
        if (L1 is { } l1)
        {
            if (!Uri.TryCreate(l1.Rpc, UriKind.Absolute, out rpc) || rpc.Scheme is not ("http" or "https")) problems.Add($"L1.Rpc must be an http(s) URL, got '{l1.Rpc}'");
            if (l1.PollIntervalSeconds is <= 0 or > 3600) problems.Add("L1.PollIntervalSeconds must be in (0, 3600]");
            if (l1.Confirmations is < 0 or > 1000) problems.Add("L1.Confirmations must be in 0..1000");
        }
        else if (Committee is { } c)
        {
            var members = new List<EthereumAddress>();
            foreach (var m in c.Members)
                if (EthereumAddress.TryParse(m, out var a)) members.Add(a);
                else problems.Add($"Committee.Members: '{m}' is not a 0x address");
            try
            {
                staticCommittee = new CommitteeSnapshot(members, c.Threshold);
            }
            catch (ArgumentException e)
            {
                problems.Add($"Committee: {e.Message}");
            }
        }
        else problems.Add("either L1 (follow the contract) or Committee (fixed members and threshold) is required");
        if (RetainFinalizedBatches is { } keep)
        {
            if (keep < 0) problems.Add("RetainFinalizedBatches must be >= 0 (or absent: keep forever)");
            if (L1 is null) problems.Add("RetainFinalizedBatches needs L1: finalization is read from the contract");
        }
        if (problems.Count > 0) throw new FormatException("member configuration: " + string.Join("; ", problems));
        return new ValidatedMemberOptions(this, listen!, new DacDomain(chainId, contract), sequencer, staticCommittee, rpc);
    }

    /// <summary>The keystore password: the password file's first line, else $VLD_KEYSTORE_PASSWORD.</summary>
    public string ReadPassword()
    {
        if (PasswordFile is { Length: > 0 } file)
        {
            try
            {
                return File.ReadAllText(file).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException($"cannot read the password file {file}: {e.Message}", e);
            }
        }
        return Environment.GetEnvironmentVariable(PasswordEnvironmentVariable)
               ?? throw new FormatException($"no keystore password: set PasswordFile in the config or ${PasswordEnvironmentVariable}");
    }
}

public sealed record ValidatedMemberOptions(MemberOptions Raw, Uri Listen, DacDomain Domain, EthereumAddress Sequencer, CommitteeSnapshot? StaticCommittee, Uri? Rpc);
