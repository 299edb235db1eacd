//! An invite link as a QR code, drawn as SVG: sharp on screen and on
//! paper, and no image is ever made or sent anywhere.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The SVG markup of `text` as a QR code, black on white whatever the
/// theme (phone cameras read dark on light best); `None` if the text is
/// too long for a QR code.
pub fn qr_svg(text: &str) -> Option<String> {
    // Level M survives a smudged print or a scratched screen.
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // The renderer starts with an XML declaration, which has no place
    // inside an HTML page.
    let start = image.find("<svg")?;
    Some(image[start..].to_string())
}
