using Bunit;
using MudBlazor;
using MudBlazor.Services;
using Microsoft.Extensions.DependencyInjection;

namespace CityTwin.Tests.Components;

/// <summary>Shared bUnit setup: MudBlazor services without transitions, loose JS interop (MudBlazor calls JS).</summary>
public abstract class ComponentTestContext : BunitContext, IAsyncLifetime
{
    protected ComponentTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddLocalization();
        Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
            o.PopoverOptions.CheckForPopoverProvider = false;
        });
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await CleanupAsync();
    }

    /// <summary>Runs after the renderer is disposed: release databases and other resources of the test.</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;
}
