namespace Validium.Cli;

/// <summary>A mistake in how the command was called: reported as one line and exit code 2, no stack trace.</summary>
public sealed class UsageException(string message) : Exception(message);
