//! What the app asks of the browser itself: the clock and calendar, random
//! bytes, and the `Intl` API. One small module with no dependency on the
//! rest of the app, so that views, i18n and sync all import it without a
//! cycle.

use ara_shared::Date;
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

// --- The clock ---

/// Now by the browser's clock, in Unix milliseconds.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Today by the browser's clock and calendar; `None` when that is not a date
/// the planner can hold (a year outside 2000–2100). Each caller says what
/// stands in for it then.
pub fn today() -> Option<Date> {
    let now = js_sys::Date::new_0();
    Date::new(
        u16::try_from(now.get_full_year()).ok()?,
        u8::try_from(now.get_month() + 1).ok()?,
        u8::try_from(now.get_date()).ok()?,
    )
    .ok()
}

/// The year by the browser's calendar, `None` when it does not fit a `u16`.
pub fn this_year() -> Option<u16> {
    u16::try_from(js_sys::Date::new_0().get_full_year()).ok()
}

// --- Random ids ---

/// Ten bytes from the browser's cryptographic random source, for UUIDv7 ids.
pub fn random_bytes() -> [u8; 10] {
    let mut bytes = [0u8; 10];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        // Every supported browser has Web Crypto; Math.random only keeps ids
        // unique should it be missing.
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

// --- Intl ---

/// The global `Intl` object.
pub fn intl() -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &"Intl".into()).ok()
}

/// `new Intl.DateTimeFormat(locales, options)`, built through `Reflect` so
/// that an unknown zone or locale is a `None` rather than an exception
/// thrown through the wasm. `options` are `(name, value)` pairs.
pub fn date_time_format(locales: &[&str], options: &[(&str, &str)]) -> Option<JsValue> {
    let constructor: Function = Reflect::get(&intl()?, &"DateTimeFormat".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let object = Object::new();
    for (key, value) in options {
        Reflect::set(&object, &(*key).into(), &(*value).into()).ok()?;
    }
    let locales: Array = locales.iter().map(|l| JsValue::from_str(l)).collect();
    Reflect::construct(&constructor, &Array::of2(&locales, &object)).ok()
}

/// The method `name` of a JavaScript object, called on it with `args`.
pub fn call_method(target: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let method: Function = Reflect::get(target, &name.into()).ok()?.dyn_into().ok()?;
    let args: Array = args.iter().collect();
    method.apply(target, &args).ok()
}
