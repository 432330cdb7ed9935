export default function Home() {
  return (
    <main>
      <h1>JetLens</h1>
      <p>
        Explainable jet tagging: fine-tuned Vision Transformers on JetClass jet images, their
        attention maps, and the share of attention that falls on each jet&apos;s prongs.
      </p>
      <p>
        Run the study with <code>npx jetlens study</code>; its results are stored in the experiment
        database that this app reads through the GraphQL API.
      </p>
    </main>
  );
}
