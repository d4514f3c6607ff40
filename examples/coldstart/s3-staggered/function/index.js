// Handles one S3 event: reads which object arrived and "processes" it for about 200 ms (a stand-in
// for resizing an image or parsing a file), then logs what it did.
exports.handler = async (event) => {
  const record = event.Records[0];
  const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, " "));
  await new Promise((resolve) => setTimeout(resolve, 200));
  console.log(`processed s3://${record.s3.bucket.name}/${key} (${record.s3.object.size} bytes, ${record.eventName})`);
  return { bucket: record.s3.bucket.name, key };
};
