namespace Transmission.Interop.Tests;
