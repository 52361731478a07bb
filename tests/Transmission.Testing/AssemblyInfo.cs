namespace Transmission.Testing;
