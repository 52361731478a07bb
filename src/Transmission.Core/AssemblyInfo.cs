namespace Transmission.Core;
