namespace Transmission.Central.Tests;
