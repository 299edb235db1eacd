//! The sync protocol over a real WebSocket: subscribe, append, fan-out,
//! compaction, hints, refusals and limits.

mod common;

use std::time::Duration;

use common::{Device, LIMIT, append_id, dossier, start, start_in_memory, token};
use driehoek_relay::wire::{ErrorCode, Message};
use driehoek_wire::message::LoggedBlob;
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::{Error as WsError, Message as WsMessage};

#[tokio::test]
async fn a_blob_appended_by_one_device_reaches_the_other_subscriber_and_the_appender_gets_its_seq()
{
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let (d, t) = (dossier(1), token(1));
    let mut alice = Device::connect(relay.addr).await;
    let mut bob = Device::connect(relay.addr).await;
    assert!(alice.subscribe(d, &t, 0).await.items.is_empty());
    assert!(bob.subscribe(d, &t, 0).await.items.is_empty());

    assert_eq!(alice.append(d, &t, 1, b"first change").await, 1);
    assert_eq!(
        bob.receive().await,
        Some(Message::Blob {
            dossier: d,
            seq: 1,
            bytes: b"first change".to_vec()
        })
    );
    assert_eq!(bob.append(d, &t, 2, b"second change").await, 2);
    assert!(matches!(
        alice.receive().await,
        Some(Message::Blob { seq: 2, .. })
    ));
    // Neither gets its own blob back.
    assert!(alice.is_quiet_for(Duration::from_millis(200)).await);
    assert!(bob.is_quiet_for(Duration::from_millis(200)).await);
    relay.stop().await;
}

#[tokio::test]
async fn a_duplicate_append_is_acked_with_the_first_seq_stored_once_and_pushed_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let (d, t) = (dossier(1), token(1));
    let mut appender = Device::connect(relay.addr).await;
    let mut listener = Device::connect(relay.addr).await;
    listener.subscribe(d, &t, 0).await;

    assert_eq!(appender.append(d, &t, 7, b"change").await, 1);
    assert_eq!(appender.append(d, &t, 7, b"change").await, 1);
    assert_eq!(appender.append(d, &t, 8, b"next").await, 2);

    assert!(matches!(
        listener.receive().await,
        Some(Message::Blob { seq: 1, .. })
    ));
    assert!(matches!(
        listener.receive().await,
        Some(Message::Blob { seq: 2, .. })
    ));
    let mut fresh = Device::connect(relay.addr).await;
    let backlog = fresh.subscribe(d, &t, 0).await;
    assert_eq!(backlog.seqs(), [(1, 0), (2, 0)]);
    relay.stop().await;
}

#[tokio::test]
async fn a_wrong_token_is_refused_and_the_connection_stays_usable_for_another_dossier() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let mut owner = Device::connect(relay.addr).await;
    owner.subscribe(dossier(1), &token(1), 0).await;

    let mut stranger = Device::connect(relay.addr).await;
    stranger
        .send(&Message::Subscribe {
            dossier: dossier(1),
            token: token(9),
            after_seq: 0,
        })
        .await;
    stranger
        .expect_dossier_error(dossier(1), ErrorCode::Unauthorized)
        .await;
    stranger
        .send(&Message::Append {
            dossier: dossier(1),
            token: token(9),
            id: append_id(1),
            bytes: b"not yours".to_vec(),
        })
        .await;
    stranger
        .expect_dossier_error(dossier(1), ErrorCode::Unauthorized)
        .await;
    // The same socket goes on with a dossier of its own.
    assert!(
        stranger
            .subscribe(dossier(2), &token(9), 0)
            .await
            .items
            .is_empty()
    );
    assert_eq!(stranger.append(dossier(2), &token(9), 1, b"mine").await, 1);
    // Nothing reached the first dossier.
    assert!(owner.is_quiet_for(Duration::from_millis(200)).await);
    relay.stop().await;
}

#[tokio::test]
async fn an_append_over_the_dossier_limit_is_refused_and_the_connection_stays_open() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |config| config.max_dossier_bytes = 1000).await;
    let (d, t) = (dossier(1), token(1));
    let mut device = Device::connect(relay.addr).await;
    assert_eq!(device.append(d, &t, 1, &[1u8; 600]).await, 1);
    device
        .send(&Message::Append {
            dossier: d,
            token: t.clone(),
            id: append_id(2),
            bytes: vec![2u8; 600],
        })
        .await;
    device.expect_dossier_error(d, ErrorCode::TooLarge).await;
    assert_eq!(device.append(d, &t, 3, &[3u8; 300]).await, 2);
    relay.stop().await;
}

#[tokio::test]
async fn a_new_dossier_needs_the_creation_code_in_hello_but_a_registered_one_does_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |config| {
        config.creation_code = Some("lente-2027".parse().expect("code"));
    })
    .await;
    let subscribe = |n: u8| Message::Subscribe {
        dossier: dossier(n),
        token: token(n),
        after_seq: 0,
    };

    let mut without = Device::connect(relay.addr).await;
    without.send(&subscribe(1)).await;
    without
        .expect_dossier_error(dossier(1), ErrorCode::CreationCodeRequired)
        .await;

    let mut wrong = Device::connect_with_code(relay.addr, Some("lente-2026")).await;
    wrong.send(&subscribe(1)).await;
    wrong
        .expect_dossier_error(dossier(1), ErrorCode::CreationCodeWrong)
        .await;

    let mut right = Device::connect_with_code(relay.addr, Some("lente-2027")).await;
    assert!(
        right
            .subscribe(dossier(1), &token(1), 0)
            .await
            .items
            .is_empty()
    );
    assert_eq!(right.append(dossier(1), &token(1), 1, b"first").await, 1);

    // The refused sockets stay open, and a device without the code reaches
    // the dossier now that it is registered, with the right token only.
    let backlog = without.subscribe(dossier(1), &token(1), 0).await;
    assert_eq!(backlog.seqs(), [(1, 0)]);
    wrong
        .send(&Message::Subscribe {
            dossier: dossier(1),
            token: token(9),
            after_seq: 0,
        })
        .await;
    wrong
        .expect_dossier_error(dossier(1), ErrorCode::Unauthorized)
        .await;
    relay.stop().await;
}

#[tokio::test]
async fn a_relay_at_its_dossier_or_byte_quota_refuses_with_quota_exceeded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |config| {
        config.max_dossiers = 1;
        config.max_total_bytes = 1000;
    })
    .await;
    let mut device = Device::connect(relay.addr).await;
    assert_eq!(
        device.append(dossier(1), &token(1), 1, &[1u8; 600]).await,
        1
    );
    device
        .send(&Message::Subscribe {
            dossier: dossier(2),
            token: token(2),
            after_seq: 0,
        })
        .await;
    device
        .expect_dossier_error(dossier(2), ErrorCode::QuotaExceeded)
        .await;
    device
        .send(&Message::Append {
            dossier: dossier(1),
            token: token(1),
            id: append_id(2),
            bytes: vec![2u8; 600],
        })
        .await;
    device
        .expect_dossier_error(dossier(1), ErrorCode::QuotaExceeded)
        .await;
    // What fits still goes in.
    assert_eq!(
        device.append(dossier(1), &token(1), 3, &[3u8; 300]).await,
        2
    );
    relay.stop().await;
}

#[tokio::test]
async fn an_oversized_frame_is_refused_and_closed_and_the_relay_still_serves() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let mut device = Device::connect(relay.addr).await;
    // Over the configured 64 KiB.
    let big = Message::Append {
        dossier: dossier(1),
        token: token(1),
        id: append_id(1),
        bytes: vec![0u8; 100 * 1024],
    };
    let _ = device
        .socket
        .send(WsMessage::Binary(big.encode().into()))
        .await;
    device.expect_refusal(ErrorCode::TooLarge).await;

    let mut next = Device::connect(relay.addr).await;
    assert_eq!(next.append(dossier(1), &token(1), 2, b"small").await, 1);
    relay.stop().await;
}

#[tokio::test]
async fn garbage_truncated_and_text_frames_are_refused_and_closed_and_the_relay_still_serves() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let append = Message::Append {
        dossier: dossier(1),
        token: token(1),
        id: append_id(1),
        bytes: b"some change".to_vec(),
    }
    .encode();
    let frames = [
        WsMessage::Binary(b"\xff\xfe not cbor".to_vec().into()),
        WsMessage::Binary(append[..append.len() / 2].to_vec().into()),
        WsMessage::Binary(Vec::new().into()),
        WsMessage::Text("subscribe".into()),
    ];
    for frame in frames {
        let mut device = Device::connect(relay.addr).await;
        device.send_frame(frame).await;
        device.expect_refusal(ErrorCode::Malformed).await;
    }
    let mut next = Device::connect(relay.addr).await;
    assert_eq!(next.append(dossier(1), &token(1), 1, b"fine").await, 1);
    relay.stop().await;
}

#[tokio::test]
async fn messages_only_the_relay_sends_and_a_second_hello_close_the_connection() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let out_of_turn = [
        Message::Hello {
            protocol: 1,
            creation_code: None,
        },
        Message::Ack {
            id: append_id(1),
            seq: 1,
        },
        Message::Blobs {
            dossier: dossier(1),
            items: vec![LoggedBlob::whole(1, b"x".to_vec())],
            complete: true,
        },
        Message::Blob {
            dossier: dossier(1),
            seq: 1,
            bytes: b"x".to_vec(),
        },
        Message::CompactHint {
            dossier: dossier(1),
            upto_seq: 1,
        },
    ];
    for message in out_of_turn {
        let mut device = Device::connect(relay.addr).await;
        device.send(&message).await;
        device.expect_refusal(ErrorCode::Malformed).await;
    }
    relay.stop().await;
}

#[tokio::test]
async fn an_empty_backlog_is_one_complete_blobs_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let mut device = Device::connect(relay.addr).await;
    let backlog = device.subscribe(dossier(1), &token(1), 0).await;
    assert_eq!((backlog.messages, backlog.items.len()), (1, 0));
    relay.stop().await;
}

#[tokio::test]
async fn a_backlog_larger_than_a_frame_arrives_in_several_messages_complete_only_on_the_last() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let (d, t) = (dossier(1), token(1));
    let mut appender = Device::connect(relay.addr).await;
    for n in 1..=10u8 {
        let seq = appender.append(d, &t, n.into(), &[n; 20 * 1024]).await;
        assert_eq!(seq, u64::from(n));
    }
    let mut device = Device::connect(relay.addr).await;
    // `subscribe` checks that `complete` is set on the last message only.
    let backlog = device.subscribe(d, &t, 0).await;
    assert!(backlog.messages >= 4, "{} messages", backlog.messages);
    assert!(
        backlog.largest_frame <= 64 * 1024,
        "{}",
        backlog.largest_frame
    );
    let expected: Vec<(u64, u32)> = (1..=10).map(|seq| (seq, 0)).collect();
    assert_eq!(backlog.seqs(), expected);
    assert!(
        backlog
            .items
            .iter()
            .all(|item| item.bytes == vec![item.seq as u8; 20 * 1024])
    );
    let later = device.subscribe(d, &t, 8).await;
    assert_eq!(later.seqs(), [(9, 0), (10, 0)]);
    relay.stop().await;
}

#[tokio::test]
async fn one_connection_follows_many_dossiers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let mut teacher = Device::connect(relay.addr).await;
    for n in 1..=30 {
        teacher.subscribe(dossier(n), &token(n), 0).await;
    }
    let mut parent = Device::connect(relay.addr).await;
    for n in [3, 17, 30] {
        parent.append(dossier(n), &token(n), 1, &[n]).await;
    }
    for n in [3, 17, 30] {
        assert_eq!(
            teacher.receive().await,
            Some(Message::Blob {
                dossier: dossier(n),
                seq: 1,
                bytes: vec![n]
            })
        );
    }
    relay.stop().await;
}

#[tokio::test]
async fn no_blob_is_lost_or_repeated_between_the_backlog_and_live_pushes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let (d, t) = (dossier(1), token(1));
    const TOTAL: u64 = 300;
    let addr = relay.addr;
    let appending = tokio::spawn(async move {
        let mut appender = Device::connect(addr).await;
        // Pipelined in windows, so commits happen while others subscribe.
        let mut next = 1;
        while next <= TOTAL {
            let window = (next..=TOTAL).take(10).collect::<Vec<_>>();
            for &n in &window {
                appender
                    .send(&Message::Append {
                        dossier: d,
                        token: token(1),
                        id: append_id(n),
                        bytes: n.to_be_bytes().to_vec(),
                    })
                    .await;
            }
            for _ in &window {
                assert!(matches!(
                    appender.receive().await,
                    Some(Message::Ack { .. })
                ));
            }
            next += window.len() as u64;
        }
    });
    // Subscribers join at different moments of the burst.
    let mut subscribers = Vec::new();
    for round in 0..6u64 {
        let mut device = Device::connect(addr).await;
        let backlog = device.subscribe(d, &t, round * 7).await;
        subscribers.push((round * 7, device, backlog.items));
        tokio::time::sleep(Duration::from_millis(15)).await;
    }
    for (after, mut device, items) in subscribers {
        let mut seqs: Vec<u64> = items.iter().map(|item| item.seq).collect();
        while seqs.last().copied().unwrap_or(after) < TOTAL {
            match device.receive().await {
                Some(Message::Blob { seq, bytes, .. }) => {
                    assert_eq!(bytes, seq.to_be_bytes());
                    seqs.push(seq);
                }
                other => panic!("expected a blob, got {other:?}"),
            }
        }
        let expected: Vec<u64> = (after + 1..=TOTAL).collect();
        assert_eq!(seqs, expected, "subscriber after {after}");
    }
    tokio::time::timeout(LIMIT, appending)
        .await
        .expect("appends in time")
        .expect("appender");
    relay.stop().await;
}

fn compact(n: u64, upto_seq: u64, part: u32, parts: u32, bytes: &[u8]) -> Message {
    Message::Compact {
        dossier: dossier(1),
        token: token(1),
        id: append_id(1000 + n),
        upto_seq,
        part,
        parts,
        bytes: bytes.to_vec(),
    }
}

#[tokio::test]
async fn compactions_out_of_bounds_or_out_of_order_are_refused_for_that_dossier() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let (d, t) = (dossier(1), token(1));
    let mut device = Device::connect(relay.addr).await;
    for n in 1..=3 {
        device.append(d, &t, n, b"change").await;
    }
    for refused in [
        compact(1, 0, 0, 1, b"s"),
        compact(1, 4, 0, 1, b"s"),
        compact(1, 2, 1, 2, b"s"),
        compact(1, 2, 0, 0, b"s"),
        compact(1, 2, 2, 2, b"s"),
    ] {
        device.send(&refused).await;
        device
            .expect_dossier_error(d, ErrorCode::BadCompaction)
            .await;
    }
    // A part that skips ahead, or changes the bounds, ends that compaction.
    device.send(&compact(1, 2, 0, 3, b"a")).await;
    device.send(&compact(1, 2, 2, 3, b"c")).await;
    device
        .expect_dossier_error(d, ErrorCode::BadCompaction)
        .await;
    device.send(&compact(1, 2, 0, 3, b"a")).await;
    device.send(&compact(1, 3, 1, 3, b"b")).await;
    device
        .expect_dossier_error(d, ErrorCode::BadCompaction)
        .await;
    // The connection and the dossier are fine.
    assert_eq!(device.append(d, &t, 4, b"change").await, 4);
    device.send(&compact(2, 2, 0, 1, b"s")).await;
    assert_eq!(
        device.receive().await,
        Some(Message::Ack {
            id: append_id(1002),
            seq: 2
        })
    );
    device.send(&compact(3, 2, 0, 1, b"s")).await;
    device
        .expect_dossier_error(d, ErrorCode::BadCompaction)
        .await;
    relay.stop().await;
}

#[tokio::test]
async fn a_multi_part_snapshot_is_acked_and_served_before_later_blobs_but_never_pushed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let (d, t) = (dossier(1), token(1));
    let mut compactor = Device::connect(relay.addr).await;
    let mut watcher = Device::connect(relay.addr).await;
    watcher.subscribe(d, &t, 0).await;
    for n in 1..=5 {
        compactor
            .append(d, &t, n, format!("change {n}").as_bytes())
            .await;
    }
    for _ in 1..=5 {
        assert!(matches!(
            watcher.receive().await,
            Some(Message::Blob { .. })
        ));
    }
    for part in 0..3u32 {
        compactor
            .send(&compact(
                1,
                4,
                part,
                3,
                format!("snapshot {part}").as_bytes(),
            ))
            .await;
    }
    assert_eq!(
        compactor.receive().await,
        Some(Message::Ack {
            id: append_id(1001),
            seq: 4
        })
    );
    // A lost Ack: the same compaction again is acknowledged again.
    for part in 0..3u32 {
        compactor
            .send(&compact(
                1,
                4,
                part,
                3,
                format!("snapshot {part}").as_bytes(),
            ))
            .await;
    }
    assert_eq!(
        compactor.receive().await,
        Some(Message::Ack {
            id: append_id(1001),
            seq: 4
        })
    );
    assert_eq!(compactor.append(d, &t, 6, b"change 6").await, 6);
    // The watcher already had the state: it gets the new blob, no snapshot.
    assert_eq!(
        watcher.receive().await,
        Some(Message::Blob {
            dossier: d,
            seq: 6,
            bytes: b"change 6".to_vec()
        })
    );

    let mut newcomer = Device::connect(relay.addr).await;
    let backlog = newcomer.subscribe(d, &t, 0).await;
    assert_eq!(backlog.seqs(), [(4, 0), (4, 1), (4, 2), (5, 0), (6, 0)]);
    assert_eq!(backlog.items[2].bytes, b"snapshot 2");
    assert!(backlog.items[..3].iter().all(|item| item.parts == 3));
    assert_eq!(backlog.items[3].bytes, b"change 5");

    let mut returning = Device::connect(relay.addr).await;
    let backlog = returning.subscribe(d, &t, 4).await;
    assert_eq!(backlog.seqs(), [(5, 0), (6, 0)]);
    relay.stop().await;
}

/// Reads until the blob with `seq`, counting compaction hints on the way.
async fn hints_until(device: &mut Device, seq: u64) -> Vec<u64> {
    let mut hints = Vec::new();
    loop {
        match device.receive().await {
            Some(Message::Blob { seq: got, .. }) if got == seq => return hints,
            Some(Message::Blob { .. }) => {}
            Some(Message::CompactHint { upto_seq, .. }) => hints.push(upto_seq),
            other => panic!("expected blobs and hints, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_compaction_hint_goes_to_exactly_one_subscriber_until_someone_compacts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |config| config.compact_after_blobs = 5).await;
    let (d, t) = (dossier(1), token(1));
    let mut subscribers = Vec::new();
    for _ in 0..3 {
        let mut device = Device::connect(relay.addr).await;
        device.subscribe(d, &t, 0).await;
        subscribers.push(device);
    }
    let mut appender = Device::connect(relay.addr).await;
    for n in 1..=9 {
        appender.append(d, &t, n, b"change").await;
    }
    // The last blob is pushed after any hint its batch could cause.
    let mut hinted = Vec::new();
    for (index, device) in subscribers.iter_mut().enumerate() {
        for upto in hints_until(device, 9).await {
            hinted.push((index, upto));
        }
    }
    assert_eq!(hinted.len(), 1, "{hinted:?}");
    let (chosen, upto) = hinted[0];
    assert_eq!(upto, 5);

    // The chosen device compacts; the log may be hinted again once it grows.
    let device = &mut subscribers[chosen];
    device.send(&compact(1, upto, 0, 1, b"snapshot")).await;
    assert!(matches!(
        hints_or_ack(device).await,
        Message::Ack { seq: 5, .. }
    ));
    for n in 10..=14 {
        appender.append(d, &t, n, b"change").await;
    }
    let mut hinted = Vec::new();
    for (index, device) in subscribers.iter_mut().enumerate() {
        for upto in hints_until(device, 14).await {
            hinted.push((index, upto));
        }
    }
    assert_eq!(hinted.len(), 1, "{hinted:?}");
    assert_eq!(hinted[0].1, 10);
    relay.stop().await;
}

async fn hints_or_ack(device: &mut Device) -> Message {
    loop {
        match device.receive().await {
            Some(Message::Blob { .. }) => continue,
            Some(other) => return other,
            None => panic!("closed"),
        }
    }
}

#[tokio::test]
async fn a_slow_reader_is_dropped_while_another_subscriber_keeps_receiving() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |config| {
        config.send_queue = 8;
        config.max_frame_bytes = 256 * 1024;
    })
    .await;
    let (d, t) = (dossier(1), token(1));
    const BLOBS: u64 = 400;
    const SIZE: usize = 64 * 1024;
    let mut slow = Device::connect(relay.addr).await;
    slow.subscribe(d, &t, 0).await;
    let mut fast = Device::connect(relay.addr).await;
    fast.subscribe(d, &t, 0).await;
    let reading = tokio::spawn(async move {
        let mut seqs = Vec::new();
        while seqs.len() < BLOBS as usize {
            match fast.receive().await {
                Some(Message::Blob { seq, .. }) => seqs.push(seq),
                other => panic!("the fast reader got {other:?}"),
            }
        }
        seqs
    });
    let mut appender = Device::connect(relay.addr).await;
    for n in 1..=BLOBS {
        appender.append(d, &t, n, &vec![n as u8; SIZE]).await;
    }
    let seqs = tokio::time::timeout(LIMIT, reading)
        .await
        .expect("fast reader in time")
        .expect("fast reader");
    assert_eq!(seqs, (1..=BLOBS).collect::<Vec<_>>());

    // The slow one now reads what was on its way and finds the end.
    let mut blobs = 0;
    let mut overloaded = false;
    for _ in 0..=BLOBS {
        match slow.receive().await {
            Some(Message::Blob { .. }) => blobs += 1,
            Some(Message::Error {
                code: ErrorCode::Overloaded,
                ..
            }) => overloaded = true,
            Some(other) => panic!("the slow reader got {other:?}"),
            None => break,
        }
    }
    assert!(blobs < BLOBS, "the slow reader got all {blobs} blobs");
    assert!(
        slow.receive().await.is_none(),
        "the slow reader must be disconnected (overloaded error seen: {overloaded})"
    );
    relay.stop().await;
}

#[tokio::test]
async fn connections_over_the_limit_of_one_address_get_429() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |config| config.max_connections_per_ip = 2).await;
    let first = Device::connect(relay.addr).await;
    let _second = Device::connect(relay.addr).await;
    let refused = tokio::time::timeout(
        LIMIT,
        tokio_tungstenite::connect_async(format!("ws://{}/sync", relay.addr)),
    )
    .await
    .expect("answer in time");
    match refused {
        Err(WsError::Http(response)) => {
            assert_eq!(response.status(), 429);
            let body = response.body().as_deref().unwrap_or_default();
            assert!(String::from_utf8_lossy(body).contains("too many"));
        }
        other => panic!("expected 429, got {other:?}"),
    }
    // A place frees up when a connection ends.
    drop(first);
    let deadline = tokio::time::Instant::now() + LIMIT;
    loop {
        let attempt = tokio_tungstenite::connect_async(format!("ws://{}/sync", relay.addr)).await;
        if attempt.is_ok() {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no place freed up");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    relay.stop().await;
}

#[tokio::test]
async fn the_relay_syncs_on_the_in_memory_store_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start_in_memory(dir.path()).await;
    let (d, t) = (dossier(1), token(1));
    let mut alice = Device::connect(relay.addr).await;
    let mut bob = Device::connect(relay.addr).await;
    bob.subscribe(d, &t, 0).await;
    assert_eq!(alice.append(d, &t, 1, b"change").await, 1);
    assert!(matches!(
        bob.receive().await,
        Some(Message::Blob { seq: 1, .. })
    ));
    assert!(!dir.path().join("data/relay.sqlite3").exists());
    relay.stop().await;
}

#[tokio::test]
async fn a_device_that_closes_gets_the_closing_handshake_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let mut device = Device::connect(relay.addr).await;
    tokio::time::timeout(LIMIT, device.socket.close(None))
        .await
        .expect("close in time")
        .expect("close sent");
    // A browser reports a close without the relay's answer as 1006, not
    // clean: the relay must answer with its own Close frame.
    let mut answered = false;
    for _ in 0..8 {
        match tokio::time::timeout(LIMIT, device.socket.next())
            .await
            .expect("the relay answers in time")
        {
            Some(Ok(WsMessage::Close(_))) => {
                answered = true;
                break;
            }
            Some(Ok(_)) => continue,
            Some(Err(_)) | None => break,
        }
    }
    assert!(
        answered,
        "the relay answered the close with its own Close frame"
    );
    relay.stop().await;
}

fn retire(n: u64, d: u8, t: u8) -> Message {
    Message::Retire {
        dossier: dossier(d),
        token: token(t),
        id: append_id(n),
    }
}

async fn expect_ack(device: &mut Device, n: u64, seq: u64) {
    assert_eq!(
        device.receive().await,
        Some(Message::Ack {
            id: append_id(n),
            seq
        })
    );
}

#[tokio::test]
async fn a_retired_log_takes_nothing_new_keeps_serving_and_stays_retired_after_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |_| {}).await;
    let (d, t) = (dossier(1), token(1));
    let mut founder = Device::connect(relay.addr).await;
    founder.subscribe(d, &t, 0).await;
    assert_eq!(founder.append(d, &t, 1, b"entry").await, 1);
    assert_eq!(founder.append(d, &t, 2, b"notice").await, 2);

    // Only the dossier's own token may retire it, and an unknown dossier
    // is not registered by a retirement.
    let mut stranger = Device::connect(relay.addr).await;
    stranger.send(&retire(50, 1, 9)).await;
    stranger
        .expect_dossier_error(d, ErrorCode::Unauthorized)
        .await;
    stranger.send(&retire(51, 2, 9)).await;
    stranger
        .expect_dossier_error(dossier(2), ErrorCode::Unauthorized)
        .await;
    assert!(
        stranger
            .subscribe(dossier(2), &token(5), 0)
            .await
            .items
            .is_empty()
    );
    assert_eq!(
        stranger.append(dossier(2), &token(5), 1, b"theirs").await,
        1
    );

    founder.send(&retire(3, 1, 1)).await;
    expect_ack(&mut founder, 3, 0).await;
    // A lost Ack: retiring again is answered the same.
    founder.send(&retire(3, 1, 1)).await;
    expect_ack(&mut founder, 3, 0).await;

    let mut late = Device::connect(relay.addr).await;
    assert_eq!(late.subscribe(d, &t, 0).await.seqs(), [(1, 0), (2, 0)]);
    late.send(&Message::Append {
        dossier: d,
        token: t.clone(),
        id: append_id(9),
        bytes: b"written offline".to_vec(),
    })
    .await;
    late.expect_dossier_error(d, ErrorCode::Retired).await;
    late.send(&compact(1, 2, 0, 1, b"snapshot")).await;
    late.expect_dossier_error(d, ErrorCode::Retired).await;
    // The refusal is about that dossier only.
    assert!(founder.is_quiet_for(Duration::from_millis(200)).await);
    assert_eq!(late.append(dossier(2), &token(5), 2, b"goes on").await, 2);
    relay.stop().await;

    let relay = start(dir.path(), |_| {}).await;
    let mut again = Device::connect(relay.addr).await;
    assert_eq!(again.subscribe(d, &t, 0).await.seqs(), [(1, 0), (2, 0)]);
    again
        .send(&Message::Append {
            dossier: d,
            token: t.clone(),
            id: append_id(10),
            bytes: b"after the restart".to_vec(),
        })
        .await;
    again.expect_dossier_error(d, ErrorCode::Retired).await;
    relay.stop().await;
}

#[tokio::test]
async fn after_the_grace_period_a_retired_log_is_deleted_and_its_subscribers_hear_so() {
    let dir = tempfile::tempdir().expect("temp dir");
    let relay = start(dir.path(), |config| config.replaced_grace_days = 0).await;
    let (d, t) = (dossier(1), token(1));
    let mut device = Device::connect(relay.addr).await;
    device.subscribe(d, &t, 0).await;
    assert_eq!(device.append(d, &t, 1, b"entry").await, 1);
    device.send(&retire(2, 1, 1)).await;
    expect_ack(&mut device, 2, 0).await;
    relay.stop().await;
    // The sweeper runs at start and deletes what was retired before now.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let relay = start(dir.path(), |config| config.replaced_grace_days = 0).await;
    let mut late = Device::connect(relay.addr).await;
    let mut heard = None;
    for _ in 0..50 {
        late.send(&Message::Subscribe {
            dossier: d,
            token: t.clone(),
            after_seq: 0,
        })
        .await;
        match late.receive().await {
            Some(Message::Error { code, .. }) => {
                heard = Some(code);
                break;
            }
            Some(Message::Blobs { complete: true, .. }) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => panic!("expected the backlog or an error, got {other:?}"),
        }
    }
    assert_eq!(heard, Some(ErrorCode::Retired));
    // A stranger's token still does not pass.
    late.send(&Message::Subscribe {
        dossier: d,
        token: token(9),
        after_seq: 0,
    })
    .await;
    late.expect_dossier_error(d, ErrorCode::Unauthorized).await;
    relay.stop().await;
}
