using AyaQC.Translation;
using AyaQC.Translation.Runtime;
using Microsoft.Extensions.Options;

namespace AyaQC.Server.Jobs;

/// <summary>The process's one NLLB model, loaded on first use from <c>BackTranslation:ModelPath</c> and shared by jobs.</summary>
public sealed class TranslatorHolder(IOptions<BackTranslationOptions> options, ILogger<TranslatorHolder> log) : IDisposable
{
    readonly Lock _lock = new();
    NllbTranslator? _translator;

    public string? ModelPath => options.Value.ModelPath;

    public string ModelName => ModelPath is null ? "none" : Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(ModelPath)));

    public NllbTranslator Get()
    {
        lock (_lock)
        {
            if (_translator is not null) return _translator;
            var o = options.Value;
            var path = o.ModelPath ?? throw new InvalidOperationException(
                $"no back-translation model configured: set {BackTranslationOptions.Section}:ModelPath or start with --model DIR");
            var device = o.Device.ToLowerInvariant() switch
            {
                "cpu" => ExecutionDevice.Cpu,
                "cuda" => ExecutionDevice.Cuda,
                _ => ExecutionDevice.Auto,
            };
            _translator = NllbTranslator.Load(path, new OrtSessionSettings(device, o.DeviceId, o.Threads));
            log.LogInformation("back-translation model {Model} loaded on {Device}{Note}", ModelName, _translator.Device.Provider,
                _translator.Device.FallbackReason is { } why ? $" ({why})" : "");
            return _translator;
        }
    }

    public void Dispose() => _translator?.Dispose();
}
