using Microsoft.Extensions.DependencyInjection;

namespace AyaQC.Client;

public static class ClientServiceCollectionExtensions
{
    /// <summary>Registers <see cref="AyaQCClient"/> over a factory-managed HttpClient for <paramref name="baseAddress"/>.</summary>
    public static IServiceCollection AddAyaQCClient(this IServiceCollection services, Uri baseAddress, string token)
    {
        services.AddHttpClient(nameof(AyaQCClient), h => h.BaseAddress = baseAddress);
        services.AddTransient(sp => new AyaQCClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(AyaQCClient)), token));
        return services;
    }
}
