namespace Transmission.Core.Tests;
