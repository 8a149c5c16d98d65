public enum Tributary { public static let version = "0.1.0" }
