//! Builds the browser app and embeds it in the server binary.
//!
//! Runs a nested `cargo build` of `ara-app` for `wasm32-unknown-unknown` (in
//! its own target directory, with the host build's flags and jobserver
//! removed so that it neither deadlocks on cargo's locks nor inherits flags
//! meant for the host), generates the JS bindings with
//! `wasm-bindgen-cli-support` (pinned to the exact `wasm-bindgen` version the
//! app links), then gives every asset a content-hashed name, pre-compresses it
//! with gzip and brotli, and writes `$OUT_DIR/assets.rs` for `src/assets.rs`
//! to include.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The profile the app is built with: small and fast, slow to link.
const WASM_PROFILE: &str = "wasm-release";
/// Set to `wasm-dev` while working on the app: a build in seconds instead of
/// minutes, at the cost of a larger, slower wasm. Never used by CI.
const PROFILE_VAR: &str = "ARA_APP_PROFILE";

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let root = manifest_dir
        .parent()
        .expect("the server crate lives inside the workspace")
        .to_path_buf();
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("set by cargo"));
    for watched in ["app", "shared", "style", "Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }
    println!("cargo:rerun-if-env-changed={PROFILE_VAR}");

    ensure_wasm_target();
    let wasm = build_app(&root);
    let generated = out_dir.join("bindgen");
    run_bindgen(&wasm, &generated);

    let mut assets = Vec::new();
    let js = add_hashed(
        &out_dir,
        &mut assets,
        "ara-app",
        "js",
        &generated.join("ara_app.js"),
    );
    let wasm = add_hashed(
        &out_dir,
        &mut assets,
        "ara-app",
        "wasm",
        &generated.join("ara_app_bg.wasm"),
    );
    let css = add_hashed(
        &out_dir,
        &mut assets,
        "style",
        "css",
        &join_styles(&root.join("style"), &out_dir),
    );
    let icons_dir = root.join("app/icons");
    let mut icons = Vec::new();
    for entry in fs::read_dir(&icons_dir).expect("app/icons exists") {
        let path = entry.expect("readable app/icons entry").path();
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 icon name")
            .to_owned();
        let ext = path
            .extension()
            .and_then(|s| s.to_str())
            .expect("icon has an extension")
            .to_owned();
        let url = add_hashed(&out_dir, &mut assets, &stem, &ext, &path);
        icons.push((format!("{stem}.{ext}"), url));
    }
    icons.sort();
    let icon_url = |name: &str| {
        icons
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, url)| url.clone())
            .unwrap_or_else(|| panic!("app/icons/{name} is missing"))
    };

    let pngs = render_icons(&icons_dir.join("icon.svg"), &out_dir);
    let png_urls: Vec<(IconPng, String)> = pngs
        .iter()
        .map(|(icon, path)| {
            let url = add_hashed(&out_dir, &mut assets, icon.stem, "png", path);
            (*icon, url)
        })
        .collect();
    let png_url = |stem: &str| {
        png_urls
            .iter()
            .find(|(icon, _)| icon.stem == stem)
            .map(|(_, url)| url.clone())
            .expect("every PNG icon is rendered")
    };
    let manifest = out_dir.join("manifest.webmanifest");
    fs::write(
        &manifest,
        web_app_manifest(&png_urls, &icon_url("icon.svg")),
    )
    .expect("write the web app manifest");
    assets.push(compress(
        &out_dir,
        MANIFEST_URL.into(),
        content_type("webmanifest"),
        false,
        &manifest,
    ));

    // The bootstrap is a file of its own, not an inline script, so that the
    // Content-Security-Policy (server/src/security.rs) allows no inline
    // script at all. Its name carries its content, which names the build's
    // glue and wasm.
    let boot_js = out_dir.join("boot.js");
    fs::write(
        &boot_js,
        format!("import init from \"{js}\";\ninit({{ module_or_path: \"{wasm}\" }});\n"),
    )
    .expect("write the bootstrap script");
    let boot = add_hashed(&out_dir, &mut assets, "boot", "js", &boot_js);

    let template = fs::read_to_string(root.join("app/index.html")).expect("app/index.html exists");
    let html = template
        .replace("{{boot}}", &boot)
        .replace("{{script}}", &js)
        .replace("{{wasm}}", &wasm)
        .replace("{{style}}", &css)
        .replace("{{icon}}", &icon_url("icon.svg"))
        .replace("{{touch_icon}}", &png_url("icon-192"))
        .replace("{{manifest}}", MANIFEST_URL)
        .replace("{{theme}}", THEME_COLOUR);
    let index = out_dir.join("index.html");
    fs::write(&index, html).expect("write index.html");
    assets.push(compress(
        &out_dir,
        "/index.html".into(),
        "text/html; charset=utf-8",
        false,
        &index,
    ));

    let worker = service_worker(&root.join("app/sw.js"), &assets);
    fs::write(out_dir.join("sw.js"), &worker).expect("write the service worker");
    write_manifest(&out_dir, &assets, &build_id(&assets, &worker));
}

/// Where the web app manifest is served: at the root, unhashed, so that an
/// installed app finds it again after an update.
const MANIFEST_URL: &str = "/manifest.webmanifest";
/// The Alliance's blue, from app/icons/icon.svg and style/app.css.
const THEME_COLOUR: &str = "#003399";
const BACKGROUND_COLOUR: &str = "#ffffff";

/// One PNG rendering of the icon, as the web app manifest lists it.
#[derive(Clone, Copy)]
struct IconPng {
    stem: &'static str,
    size: u32,
    /// Drawn inside the safe zone on a full-bleed background, so that a
    /// platform may cut it to any shape (circle, squircle) without losing it.
    maskable: bool,
}

const ICON_PNGS: [IconPng; 3] = [
    IconPng {
        stem: "icon-192",
        size: 192,
        maskable: false,
    },
    IconPng {
        stem: "icon-512",
        size: 512,
        maskable: false,
    },
    IconPng {
        stem: "icon-maskable-512",
        size: 512,
        maskable: true,
    },
];

/// Renders the PNG icons from the one SVG, so that there is a single source
/// of the app's picture.
fn render_icons(svg: &Path, out_dir: &Path) -> Vec<(IconPng, PathBuf)> {
    use resvg::{tiny_skia, usvg};
    let data = fs::read(svg).unwrap_or_else(|e| panic!("read {}: {e}", svg.display()));
    let tree = usvg::Tree::from_data(&data, &usvg::Options::default())
        .unwrap_or_else(|e| panic!("{} is not a valid SVG: {e}", svg.display()));
    let dir = out_dir.join("icons");
    fs::create_dir_all(&dir).expect("create the icons dir");
    ICON_PNGS
        .iter()
        .map(|icon| {
            let mut pixmap = tiny_skia::Pixmap::new(icon.size, icon.size).expect("non-zero size");
            let size = icon.size as f32;
            // The maskable safe zone is the centred circle of 80 % diameter;
            // the picture fits in it with a margin.
            let (scale, offset) = if icon.maskable {
                let [r, g, b] = hex_colour(THEME_COLOUR);
                pixmap.fill(tiny_skia::Color::from_rgba8(r, g, b, 255));
                (0.7, size * 0.15)
            } else {
                (1.0, 0.0)
            };
            let svg_size = tree.size();
            let transform = tiny_skia::Transform::from_row(
                scale * size / svg_size.width(),
                0.0,
                0.0,
                scale * size / svg_size.height(),
                offset,
                offset,
            );
            resvg::render(&tree, transform, &mut pixmap.as_mut());
            let path = dir.join(format!("{}.png", icon.stem));
            let png = pixmap.encode_png().expect("encode the icon as PNG");
            fs::write(&path, png).expect("write the icon");
            (*icon, path)
        })
        .collect()
}

fn hex_colour(hex: &str) -> [u8; 3] {
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).expect("a #rrggbb colour");
    [byte(1), byte(3), byte(5)]
}

/// What Chromium's installability check and the platforms read to install
/// the app: names, start address and scope, standalone display, colours and
/// the icons (the SVG for any size, PNGs of 192 and 512 px, and a maskable one).
fn web_app_manifest(pngs: &[(IconPng, String)], svg: &str) -> String {
    let mut icons = vec![format!(
        r#"{{"src": "{svg}", "type": "image/svg+xml", "sizes": "any", "purpose": "any"}}"#
    )];
    for (icon, url) in pngs {
        icons.push(format!(
            r#"{{"src": "{url}", "type": "image/png", "sizes": "{0}x{0}", "purpose": "{1}"}}"#,
            icon.size,
            if icon.maskable { "maskable" } else { "any" }
        ));
    }
    format!(
        r#"{{
  "id": "/",
  "name": "ARA Planner",
  "short_name": "ARA Planner",
  "description": "Work programme planner of the Automotive Regions Alliance: priorities, conferences, meetings and stakeholders, edited together, also offline.",
  "lang": "en",
  "start_url": "/",
  "scope": "/",
  "display": "standalone",
  "theme_color": "{THEME_COLOUR}",
  "background_color": "{BACKGROUND_COLOUR}",
  "icons": [
    {}
  ]
}}
"#,
        icons.join(",\n    ")
    )
}

/// The service worker with this build's shell filled in: the html, the
/// manifest and every content-hashed asset. The build id stays a
/// placeholder; the server fills it in when it starts.
fn service_worker(template: &Path, assets: &[Asset]) -> String {
    let template =
        fs::read_to_string(template).unwrap_or_else(|e| panic!("read {}: {e}", template.display()));
    let shell: Vec<String> = assets.iter().map(|a| format!("{:?}", a.url)).collect();
    let shell = format!("[\n  {},\n]", shell.join(",\n  "));
    assert!(
        template.contains("{{shell}}") && template.contains("{{build}}"),
        "app/sw.js must contain the {{{{shell}}}} and {{{{build}}}} placeholders"
    );
    template.replace("{{shell}}", &shell)
}

/// The identity of this build: a hash of every asset's name (the immutable
/// ones carry their content hash), of the html and manifest, and of the
/// service worker, so that any change of what a browser runs changes it.
fn build_id(assets: &[Asset], worker: &str) -> String {
    let mut hasher = Sha256::new();
    for asset in assets {
        hasher.update(asset.url.as_bytes());
        hasher.update([0]);
        if !asset.immutable {
            hasher.update(fs::read(&asset.identity).expect("read an embedded asset"));
        }
    }
    hasher.update(worker.as_bytes());
    hex::encode(&hasher.finalize()[..8])
}

/// The wasm target is not on a fresh machine and rustup's automatic install
/// may be off, so install it here (or say exactly what to run).
fn ensure_wasm_target() {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let sysroot = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .expect("run rustc --print sysroot");
    let sysroot = String::from_utf8_lossy(&sysroot.stdout).trim().to_owned();
    let lib = Path::new(&sysroot).join("lib/rustlib").join(WASM_TARGET);
    if lib.exists() {
        return;
    }
    println!("cargo:warning=installing the {WASM_TARGET} target with rustup");
    let status = Command::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .status();
    match status {
        Ok(s) if s.success() => {}
        _ => panic!(
            "the {WASM_TARGET} Rust target is missing and could not be installed; \
             run `rustup target add {WASM_TARGET}` and build again"
        ),
    }
}

/// Environment variables of the outer build that must not reach the nested one.
fn is_host_build_var(key: &str) -> bool {
    const KEEP: [&str; 6] = [
        "CARGO_HOME",
        "CARGO_NET_",
        "CARGO_HTTP_",
        "CARGO_REGISTRIES_",
        "CARGO_TERM_",
        "CARGO_REGISTRY_",
    ];
    const DROP: [&str; 16] = [
        "RUSTFLAGS",
        "RUSTDOCFLAGS",
        "RUSTC",
        "RUSTDOC",
        "RUSTC_WRAPPER",
        "RUSTC_WORKSPACE_WRAPPER",
        "RUSTC_LINKER",
        "MAKEFLAGS",
        "MFLAGS",
        "OUT_DIR",
        "TARGET",
        "HOST",
        "NUM_JOBS",
        "OPT_LEVEL",
        "PROFILE",
        "DEBUG",
    ];
    if key == "CARGO" {
        return false;
    }
    if key.starts_with("CARGO_") {
        return !KEEP.iter().any(|k| key.starts_with(k));
    }
    DROP.contains(&key) || key.starts_with("CLIPPY_") || key.starts_with("DEP_")
}

/// One stylesheet from `style/*.css`: `app.css` (the base) first, then the
/// views' sheets in name order, so that a view's rules can refine the base.
fn join_styles(dir: &Path, out_dir: &Path) -> PathBuf {
    let mut sheets: Vec<PathBuf> = fs::read_dir(dir)
        .expect("style/ exists")
        .map(|e| e.expect("readable style/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "css"))
        .collect();
    sheets.sort_by_key(|p| (p.file_name() != Some("app.css".as_ref()), p.clone()));
    let mut joined = String::new();
    for sheet in &sheets {
        let css =
            fs::read_to_string(sheet).unwrap_or_else(|e| panic!("read {}: {e}", sheet.display()));
        joined.push_str(&css);
        joined.push('\n');
    }
    let path = out_dir.join("style.css");
    fs::write(&path, joined).expect("write the joined stylesheet");
    path
}

fn app_profile() -> String {
    env::var(PROFILE_VAR).unwrap_or_else(|_| WASM_PROFILE.into())
}

fn build_app(root: &Path) -> PathBuf {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target_dir = env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
        .join("wasm-app");
    let profile = app_profile();
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root).args([
        "build",
        "--package",
        "ara-app",
        "--lib",
        "--target",
        WASM_TARGET,
        "--profile",
        profile.as_str(),
        "--target-dir",
    ]);
    cmd.arg(&target_dir);
    for (key, _) in env::vars_os() {
        if let Some(key) = key.to_str()
            && is_host_build_var(key)
        {
            cmd.env_remove(key);
        }
    }
    let status = cmd
        .status()
        .expect("start the nested cargo build of ara-app");
    assert!(
        status.success(),
        "building ara-app for {WASM_TARGET} failed ({status})"
    );
    target_dir
        .join(WASM_TARGET)
        .join(profile)
        .join("ara_app.wasm")
}

fn run_bindgen(wasm: &Path, out: &Path) {
    let _ = fs::remove_dir_all(out);
    fs::create_dir_all(out).expect("create bindgen output dir");
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(wasm)
        .web(true)
        .expect("web target is supported")
        .typescript(false)
        .remove_name_section(true)
        .remove_producers_section(true);
    bindgen
        .generate(out)
        .expect("wasm-bindgen generates the app's bindings");
}

struct Asset {
    url: String,
    content_type: &'static str,
    immutable: bool,
    identity: PathBuf,
    gzip: PathBuf,
    br: PathBuf,
}

fn content_type(ext: &str) -> &'static str {
    match ext {
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "json" | "webmanifest" => "application/manifest+json",
        "html" => "text/html; charset=utf-8",
        other => panic!("no content type known for .{other} assets"),
    }
}

/// Adds `source` under `/assets/{stem}-{hash}.{ext}` and returns that URL.
fn add_hashed(
    out_dir: &Path,
    assets: &mut Vec<Asset>,
    stem: &str,
    ext: &str,
    source: &Path,
) -> String {
    let bytes = fs::read(source).unwrap_or_else(|e| panic!("read {}: {e}", source.display()));
    let digest = Sha256::digest(&bytes);
    let hash = hex::encode(&digest[..8]);
    let url = format!("/assets/{stem}-{hash}.{ext}");
    assets.push(compress(
        out_dir,
        url.clone(),
        content_type(ext),
        true,
        source,
    ));
    url
}

fn compress(
    out_dir: &Path,
    url: String,
    content_type: &'static str,
    immutable: bool,
    source: &Path,
) -> Asset {
    let bytes = fs::read(source).unwrap_or_else(|e| panic!("read {}: {e}", source.display()));
    let dir = out_dir.join("compressed");
    fs::create_dir_all(&dir).expect("create compressed dir");
    let name = url.trim_start_matches('/').replace('/', "_");
    let identity = dir.join(&name);
    fs::write(&identity, &bytes).expect("write asset");

    let gzip = dir.join(format!("{name}.gz"));
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(&bytes).expect("gzip in memory");
    fs::write(&gzip, encoder.finish().expect("gzip in memory")).expect("write gzip");

    let br = dir.join(format!("{name}.br"));
    let mut compressed = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut bytes.as_slice(), &mut compressed, &params)
        .expect("brotli in memory");
    fs::write(&br, compressed).expect("write brotli");

    Asset {
        url,
        content_type,
        immutable,
        identity,
        gzip,
        br,
    }
}

fn write_manifest(out_dir: &Path, assets: &[Asset], build_id: &str) {
    let mut code = format!(
        "/// The identity of this build of the app (see build.rs `build_id`).\npub static BUILD_ID: &str = {build_id:?};\n\
         /// The service worker with its shell filled in; `{{{{build}}}}` is left for the server.\n\
         pub static SERVICE_WORKER_TEMPLATE: &str = include_str!({:?});\n",
        out_dir.join("sw.js")
    );
    code.push_str(
        "/// Every asset of the app, generated by build.rs.\npub static ASSETS: &[EmbeddedAsset] = &[\n",
    );
    for a in assets {
        let _ = writeln!(
            code,
            "    EmbeddedAsset {{ path: {:?}, content_type: {:?}, immutable: {}, identity: include_bytes!({:?}), gzip: include_bytes!({:?}), br: include_bytes!({:?}) }},",
            a.url, a.content_type, a.immutable, a.identity, a.gzip, a.br
        );
    }
    code.push_str("];\n");
    fs::write(out_dir.join("assets.rs"), code).expect("write assets.rs");
}
